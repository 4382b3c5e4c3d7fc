//! The compare key's handlers: the last success of the selected build's
//! project, from the loaded builds or read back a few pages, and the view
//! of what differs.

use crossterm::event::{KeyCode, KeyEvent};

use super::msg::{Effect, FindRequest};
use super::overlay::{CompareStatus, CompareView, Overlay};
use super::state::State;
use crate::domain::compare::{baseline, compare, plain_lines, Baseline};
use crate::domain::{ApiError, Fetched};

/// Pages of ListBuildsForProject read at most (100 builds each).
pub const MAX_PAGES: u8 = 3;

/// `c`: compare the selected build with its project's last success.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.selected_build().map(|b| b.id.to_string()) else {
        state.warn("select a build to compare it with the last success");
        return Vec::new();
    };
    start(state, &id)
}

/// Opens the comparison of build `id` (loaded) with its project's last
/// success before it; reads older builds when the loaded ones have none.
pub fn start(state: &mut State, id: &str) -> Vec<Effect> {
    let Some(target) = state.store.get(id).cloned() else {
        state.warn(format!("no build {id} loaded"));
        return Vec::new();
    };
    let store = &state.store;
    let loaded = store.builds.order().iter().filter_map(|k| store.get(&k.id));
    let found = baseline(&target, loaded);
    let mut view = CompareView::new(&target);
    if found.settled(&target) {
        view.status = ready(&view, found, state.settings.mask_plaintext);
        state.overlay = Overlay::Compare(Box::new(view));
        return Vec::new();
    }
    view.fallback = found.any.cloned().map(Box::new);
    let effect = next_page(&mut view, None);
    state.overlay = Overlay::Compare(Box::new(view));
    vec![effect.at(target.context)]
}

/// Opens the comparison of two loaded builds, as asked.
pub fn between(state: &mut State, id: &str, other: &str) {
    let (Some(a), Some(b)) = (state.store.get(id), state.store.get(other)) else {
        return;
    };
    let mut view = CompareView::new(a);
    view.status = CompareStatus::Ready(Box::new(compare(a, b, state.settings.mask_plaintext)));
    state.overlay = Overlay::Compare(Box::new(view));
}

fn next_page(view: &mut CompareView, next_token: Option<String>) -> Effect {
    view.pages += 1;
    Effect::FindSuccess(FindRequest {
        target: view.target.id.to_string(),
        project: view.target.project.clone(),
        next_token,
    })
}

/// The comparison with the best of what was found, or why there is none.
fn ready(view: &CompareView, found: Baseline<'_>, mask: bool) -> CompareStatus {
    let target = &view.target;
    let source = target.source_version.as_deref().filter(|s| !s.is_empty());
    let Some(other) = found.best() else {
        let scope = if view.pages == 0 {
            "among the loaded builds".to_string()
        } else {
            format!("among its {} latest builds", view.looked_at)
        };
        return CompareStatus::Failed(format!(
            "no earlier successful build of {} {scope}",
            target.project
        ));
    };
    let mut c = compare(target, other, mask);
    let note = match (source, found.same_source.is_some()) {
        (Some(s), true) => format!("compared with the last success on {s}"),
        (Some(s), false) => {
            format!("no earlier success on {s}: compared with the project's last success")
        }
        (None, _) => "compared with the project's last success".to_string(),
    };
    c.notes.insert(0, note);
    CompareStatus::Ready(Box::new(c))
}

/// A page of older builds arrived for the open comparison.
pub fn on_candidates(
    state: &mut State,
    request: FindRequest,
    result: Result<(Fetched, Option<String>), ApiError>,
) -> Vec<Effect> {
    let mask = state.settings.mask_plaintext;
    let Some(view) = state
        .overlay
        .compare_mut()
        .filter(|v| *v.target.id == *request.target && v.status == CompareStatus::Loading)
    else {
        return Vec::new();
    };
    let (fetched, next_token) = match result {
        Ok(page) => page,
        Err(e) => {
            view.status = CompareStatus::Failed(format!("could not read the older builds: {e}"));
            return Vec::new();
        }
    };
    view.looked_at += fetched.builds.len();
    let fallback = view.fallback.take();
    let candidates = fetched.builds.iter().chain(fallback.as_deref());
    let found = baseline(&view.target, candidates);
    let more = next_token.is_some() && view.pages < MAX_PAGES;
    if found.settled(&view.target) || !more {
        view.status = ready(view, found, mask);
        return Vec::new();
    }
    view.fallback = found.any.cloned().map(Box::new);
    let context = view.target.context;
    vec![next_page(view, next_token).at(context)]
}

/// Lines the comparison can scroll through at most.
fn lines(view: &CompareView) -> usize {
    view.comparison().map_or(1, |c| plain_lines(c).len() * 3)
}

pub fn on_key(state: &mut State, key: KeyEvent) -> Vec<Effect> {
    let page = (state.height as usize).saturating_sub(6).max(1);
    let Some(view) = state.overlay.compare_mut() else {
        return Vec::new();
    };
    let last = lines(view).saturating_sub(1);
    match key.code {
        KeyCode::Esc | KeyCode::Char('c') => state.overlay = Overlay::None,
        KeyCode::Char('q') => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        KeyCode::Down | KeyCode::Char('j') => view.scroll = (view.scroll + 1).min(last),
        KeyCode::Up | KeyCode::Char('k') => view.scroll = view.scroll.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => view.scroll = (view.scroll + page).min(last),
        KeyCode::PageUp => view.scroll = view.scroll.saturating_sub(page),
        KeyCode::Home | KeyCode::Char('g') => view.scroll = 0,
        KeyCode::End | KeyCode::Char('G') => view.scroll = last,
        KeyCode::Char('o') | KeyCode::Char('y') => return commit_link(state, key.code),
        _ => {}
    }
    Vec::new()
}

/// `o` opens this build's commit in the browser, `y` copies it.
fn commit_link(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let Some(url) = state
        .overlay
        .compare()
        .and_then(|v| v.comparison())
        .and_then(|c| c.links.first())
        .map(|(_, url)| url.clone())
    else {
        state.warn("no commit link: the source is not on GitHub, Bitbucket or CodeCommit");
        return Vec::new();
    };
    if code == KeyCode::Char('y') {
        state.notify("commit link copied");
        return vec![Effect::Copy(url)];
    }
    let allowed = super::open::openable(&url);
    match allowed {
        Ok(()) => {
            state.notify("opening the commit in the browser");
            vec![Effect::OpenUrl(url)]
        }
        Err(why) => {
            state.warn(format!("not opened: {why}; press y to copy it"));
            Vec::new()
        }
    }
}

/// The build compared, for `cbdash diff`: the comparison, or why not.
pub fn outcome(state: &State) -> Option<Result<&crate::domain::compare::Comparison, &str>> {
    match &state.overlay.compare()?.status {
        CompareStatus::Loading => None,
        CompareStatus::Ready(c) => Some(Ok(c)),
        CompareStatus::Failed(why) => Some(Err(why)),
    }
}
