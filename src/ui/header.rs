use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::format::retry;
use super::theme;
use crate::app::State;
use crate::text::{duration, inert};

/// Top line: where we are connected, what is loaded, how fresh it is.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let mut left = vec![
        Span::styled(
            " cbdash ",
            Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
        ),
        Span::raw(" "),
        Span::raw(inert(&state.settings.context).into_owned()),
    ];
    // The account that answered, so that the credentials' account is never a guess.
    if state.contexts.is_empty() {
        if let Some(account) = state.poller.account() {
            left.push(Span::styled(
                format!(" · account {}", inert(account)),
                theme::dim(),
            ));
        }
    }
    if state.settings.read_only {
        left.push(Span::styled("  READ-ONLY", theme::warning()));
    }

    let running = state.store.running_count();
    let mut right = vec![Span::raw(format!("{} builds", state.store.len()))];
    let batches = state.store.batches.len();
    if batches > 0 {
        right.push(Span::raw(format!(" · {batches} batches")));
    }
    if running > 0 {
        right.push(Span::raw(" · "));
        right.push(Span::styled(
            format!("{running} running"),
            Style::default().fg(Color::Cyan),
        ));
    }
    if !state.runaways.is_empty() {
        right.push(Span::raw(" · "));
        right.push(Span::styled(
            format!("⚠ {} runaway", state.runaways.len()),
            theme::runaway(),
        ));
    }
    if let Some(progress) = discovery(state) {
        right.push(Span::raw("  "));
        right.push(Span::styled(progress, theme::warning()));
    }
    right.push(Span::raw("  "));
    right.push(freshness(state));
    right.push(Span::raw(" "));
    // A space keeps a cut-off context from running into the counts, when
    // the counts themselves fit.
    let counts: usize = right.iter().map(Span::width).sum();
    if counts < usize::from(area.width) {
        right.insert(0, Span::raw(" "));
    }
    let right = Line::from(right);
    // The counts keep their room; the context gives way on narrow terminals.
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right.width() as u16)])
            .areas(area);
    frame.render_widget(Paragraph::new(Line::from(left)), left_area);
    frame.render_widget(
        Paragraph::new(right).alignment(Alignment::Right),
        right_area,
    );
}

/// Counts are final only once every context has read back far enough.
fn discovery(state: &State) -> Option<String> {
    // Before the first page, "loading…" says it; while failing, the failure.
    let pages: Vec<u32> = state
        .pollers()
        .filter(|(_, p)| p.loaded && !p.is_stale())
        .filter_map(|(_, p)| p.discovering())
        .collect();
    if !pages.is_empty() {
        let n: u32 = pages.iter().sum();
        let unit = if n == 1 { "page" } else { "pages" };
        return Some(format!("discovering… {n} {unit}"));
    }
    state
        .pollers()
        .any(|(_, p)| p.reading_burst())
        .then(|| "reading a burst…".to_string())
}

/// Above this many accounts and regions the header counts them instead of
/// naming each.
const NAMED_CONTEXTS: usize = 4;

/// One mark per account and region: fine, or failing and why; a summary
/// when there are many.
fn contexts(state: &State) -> Span<'static> {
    let failing = state.pollers().any(|(_, p)| p.is_stale());
    let style = if failing {
        theme::warning()
    } else {
        theme::dim()
    };
    if state.contexts.len() + 1 > NAMED_CONTEXTS {
        return Span::styled(context_summary(state), style);
    }
    let parts: Vec<String> = state
        .pollers()
        .map(|(c, p)| {
            let mut name = inert(state.context_name(c)).into_owned();
            if let Some(account) = p.account() {
                name = format!("{name} {}", inert(account));
            }
            match &p.last_error {
                Some((e, _)) => format!("{name} ⚠ {}", e.label()),
                None if !p.loaded => format!("{name} …"),
                None => format!("{name} ✔"),
            }
        })
        .collect();
    Span::styled(parts.join("  "), style)
}

/// "96 ok · 3 failing · 1 credentials": how many contexts are fine, and
/// how many fail, by kind of failure.
pub fn context_summary(state: &State) -> String {
    let mut ok = 0;
    let mut loading = 0;
    let mut kinds: Vec<(&'static str, usize)> = Vec::new();
    for (_, p) in state.pollers() {
        match &p.last_error {
            Some((e, _)) => {
                let label = match e.kind {
                    crate::domain::ErrorKind::Credentials => "credentials",
                    _ => "failing",
                };
                match kinds.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, n)) => *n += 1,
                    None => kinds.push((label, 1)),
                }
            }
            None if !p.loaded => loading += 1,
            None => ok += 1,
        }
    }
    let mut parts = vec![format!("{ok} ok")];
    if loading > 0 {
        parts.push(format!("{loading} loading"));
    }
    for (label, n) in kinds {
        parts.push(format!("{n} {label}"));
    }
    parts.join(" · ")
}

fn freshness(state: &State) -> Span<'static> {
    if !state.contexts.is_empty() {
        return contexts(state);
    }
    let p = &state.poller;
    if p.is_stale() {
        // Nothing was ever loaded: nothing on screen is stale, it is missing.
        let what = if p.loaded { "stale" } else { "no data" };
        return Span::styled(format!("⚠ {what}, {}", retry(state)), theme::warning());
    }
    match p.last_ok {
        _ if p.in_flight() && !p.loaded => Span::styled("loading…", theme::dim()),
        None => Span::styled("loading…", theme::dim()),
        Some(at) => Span::styled(
            format!("updated {} ago", duration((state.now - at).num_seconds())),
            theme::dim(),
        ),
    }
}
