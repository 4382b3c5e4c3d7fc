use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::theme::{self, Theme};
use crate::app::tree::TreeNode;
use crate::app::State;
use crate::domain::{BuildBatch, BuildGroup, Status};
use crate::text::{duration, inert};

/// The selected batch's build groups as a dependency tree. Only the lines
/// on screen are drawn; the critical path is highlighted.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, focused: bool) {
    let Some(batch) = state.selected_batch() else {
        return;
    };
    let nodes = state.tree_nodes();
    let title = format!(
        " Groups · {} #{} ",
        inert(&batch.project),
        batch.number.map_or_else(|| "?".into(), |n| n.to_string())
    );
    let block = Theme::of(&state.settings)
        .block()
        .border_style(theme::border(focused))
        .title(Span::styled(title, theme::title()));
    let height = area.height.saturating_sub(3) as usize;
    let mut lines = vec![summary(batch, nodes.len(), state)];
    if nodes.is_empty() {
        lines.push(Line::styled("No build groups reported yet.", theme::dim()));
    }
    for (i, node) in nodes
        .iter()
        .enumerate()
        .skip(state.tree_offset)
        .take(height)
    {
        let selected = state.tree_cursor == Some(i);
        lines.push(node_line(batch, node, selected, focused, state));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

fn summary(batch: &BuildBatch, shown: usize, state: &State) -> Line<'static> {
    let (done, total) = batch.progress();
    let mut spans = vec![Span::styled(
        format!("{done}/{total} groups done"),
        theme::title(),
    )];
    if let Some(phase) = &batch.current_phase {
        spans.push(Span::styled(format!(" · {}", inert(phase)), theme::dim()));
    }
    if shown > 0 {
        spans.push(Span::styled(
            "  ━ critical path",
            Style::default().fg(Color::Yellow),
        ));
    }
    if state.tree_cursor.is_none() && shown > 0 {
        spans.push(Span::styled("  (Enter: choose a group)", theme::dim()));
    }
    Line::from(spans)
}

fn node_line(
    batch: &BuildBatch,
    node: &TreeNode,
    selected: bool,
    focused: bool,
    state: &State,
) -> Line<'static> {
    let Some(group) = batch.groups.get(node.group) else {
        return Line::default();
    };
    let theme = Theme::of(&state.settings);
    let mut prefix = String::new();
    for more in node.guides.iter().skip(1) {
        prefix.push_str(if *more { theme.sym("│ ", "| ") } else { "  " });
    }
    // Beyond the levels drawn, the line says its depth.
    if node.depth > crate::app::tree::MAX_GUIDES {
        prefix.push_str(&format!(
            "… {} deeper ",
            node.depth - crate::app::tree::MAX_GUIDES
        ));
    }
    if node.depth > 0 {
        prefix.push_str(if node.last {
            theme.sym("└─", "`-")
        } else {
            theme.sym("├─", "|-")
        });
    }
    let status = group.status();
    let (sym, color) = match status {
        Some(s) => theme.status_mark(s),
        None => (theme.sym("○", "o"), Color::DarkGray),
    };
    let mut name_style = Style::default();
    if node.critical {
        name_style = name_style.fg(Color::Yellow).add_modifier(Modifier::BOLD);
    }
    if selected {
        name_style = theme::selected_row(focused);
    }
    let mut spans = vec![
        Span::styled(prefix, theme::dim()),
        Span::styled(format!("{sym} "), Style::default().fg(color)),
        Span::styled(inert(&group.name(node.group)).into_owned(), name_style),
    ];
    if let Some(secs) = group_elapsed(group, state) {
        spans.push(Span::raw(format!("  {}", duration(secs))));
    }
    if group.ignore_failure {
        spans.push(Span::styled("  may fail", theme::dim()));
    }
    if group.attempts() > 1 {
        spans.push(Span::styled(
            format!("  attempt {}", group.attempts()),
            Style::default().fg(Color::Magenta),
        ));
    }
    if !node.also_after.is_empty() {
        spans.push(Span::styled(
            format!("  also after: {}", inert(&node.also_after.join(", "))),
            theme::dim(),
        ));
    }
    if group.current.is_none() && !batch.complete {
        let text = if node.waiting_for.is_empty() {
            "  waiting to start".to_string()
        } else {
            format!("  waiting for {}", inert(&node.waiting_for.join(", ")))
        };
        spans.push(Span::styled(text, theme::dim()));
    }
    if let Some(w) = &node.warning {
        spans.push(Span::styled(format!("  ⚠ {}", inert(w)), theme::warning()));
    }
    Line::from(spans)
}

/// How long the group's build ran, or has run so far.
fn group_elapsed(group: &BuildGroup, state: &State) -> Option<i64> {
    let summary = group.current.as_ref()?;
    if let Some(build) = summary.build_id().and_then(|id| state.store.get(id)) {
        return build.elapsed_secs(state.now);
    }
    match (&summary.status, summary.requested_on) {
        (Some(Status::InProgress), Some(at)) => Some((state.now - at).num_seconds().max(0)),
        _ => None,
    }
}
