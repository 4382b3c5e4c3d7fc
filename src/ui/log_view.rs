//! The log view: one build's log in place of the panes, as the app's
//! `LogView` holds it.

use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::log_text::{self, LogTextParams};
use super::theme::{self, Theme};
use crate::app::overlay::{LogView, Source, Status};
use crate::text::inert;

/// The log of one build over the panes: the stream, or why there is none.
pub fn draw(frame: &mut Frame, area: Rect, view: &LogView, theme: Theme) {
    let note = match &view.source {
        Source::CloudWatch { .. } => None,
        Source::S3Only { link } => Some(format!(
            "This build writes its logs to S3 only, not to CloudWatch Logs.\n{}",
            link.as_deref()
                .map(|l| format!(
                    "S3 link: {} (press Esc, then o or y in the links pane)",
                    inert(l)
                ))
                .unwrap_or_default()
        )),
        Source::Disabled => Some("CloudWatch logging is disabled for this build.".into()),
    };
    if let Some(note) = note {
        let block = theme
            .block()
            .border_style(theme::border(true))
            .title(view.title.as_str());
        frame.render_widget(
            Paragraph::new(note)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .block(block),
            area,
        );
        return;
    }
    let status = match &view.status {
        Status::Loading => "loading…".to_string(),
        Status::Waiting => "waiting for the build to create its log stream…".into(),
        Status::Following => "live".into(),
        Status::Done => "build complete: end of log".into(),
        Status::Failed { message, retry } => format!(
            "{}{}",
            inert(message),
            if *retry { " · retrying" } else { "" }
        ),
    };
    let status = if view.searching {
        format!("/{}█  Enter keep · Esc clear", inert(&view.query))
    } else {
        status
    };
    let params = LogTextParams {
        title: &view.title,
        status: &status,
        offset: view.offset,
        h_scroll: view.h_scroll,
        wrap: view.wrap,
        query: (!view.query.is_empty()).then_some(view.query.as_str()),
        matches: &view.matches,
        current: view.current,
        follow: view.follow,
    };
    log_text::draw(frame, area, &view.buffer, &params, theme);
    if view.buffer.is_empty() && matches!(view.status, Status::Waiting | Status::Loading) {
        let inner = Rect {
            y: area.y + area.height / 2,
            height: 1.min(area.height),
            ..area
        };
        frame.render_widget(
            Paragraph::new(Line::styled(status, theme::dim())).alignment(Alignment::Center),
            inner,
        );
    }
}
