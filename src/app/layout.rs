use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// Where each pane sits for a terminal size. Pure, so key and mouse handling
/// agree with what was drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub builds: Rect,
    /// Empty unless a batch is selected.
    pub tree: Rect,
    pub phases: Rect,
    pub links: Rect,
    pub status: Rect,
}

/// Below this height the details panes are hidden and the list gets it all.
const MIN_HEIGHT_FOR_DETAILS: u16 = 16;
/// Below this height the list drops its borders and column header, so a
/// tiny terminal still shows builds.
const MIN_HEIGHT_FOR_CHROME: u16 = 6;

/// The panes for a terminal of `width` x `height`; `tree` when the selected
/// row is a batch, whose dependency tree then takes the left of the details.
pub fn areas(width: u16, height: u16, tree: bool) -> Areas {
    let full = Rect::new(0, 0, width, height);
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(full);
    if height < MIN_HEIGHT_FOR_DETAILS {
        return Areas {
            header,
            builds: body,
            status,
            ..Areas::default()
        };
    }
    let [builds, details] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
    let (tree_area, details) = if tree {
        let [t, rest] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(details);
        (t, rest)
    } else {
        (Rect::default(), details)
    };
    // Phases and links side by side when there is room, else stacked.
    let wide = details.width >= 100;
    let direction = if wide {
        Direction::Horizontal
    } else {
        Direction::Vertical
    };
    let split = if wide {
        [Constraint::Percentage(62), Constraint::Percentage(38)]
    } else {
        [Constraint::Percentage(60), Constraint::Percentage(40)]
    };
    let [phases, links] = Layout::default()
        .direction(direction)
        .constraints(split)
        .areas(details);
    Areas {
        header,
        builds,
        tree: tree_area,
        phases,
        links,
        status,
    }
}

/// Whether the list pane of this height has borders and a column header.
pub fn list_chrome(pane_height: u16) -> bool {
    pane_height >= MIN_HEIGHT_FOR_CHROME
}

/// Rows of builds that fit in the list pane.
pub fn build_rows(width: u16, height: u16) -> usize {
    let h = areas(width, height, false).builds.height;
    if list_chrome(h) {
        h.saturating_sub(3) as usize
    } else {
        h as usize
    }
}

/// Lines of a batch's tree that fit in the tree pane (inside its borders,
/// below its summary line).
pub fn tree_rows(width: u16, height: u16) -> usize {
    areas(width, height, true).tree.height.saturating_sub(3) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_terminals_still_get_a_list() {
        let a = areas(20, 5, true);
        assert_eq!(a.builds.height, 3);
        assert_eq!(a.phases, Rect::default());
        assert_eq!(a.tree, Rect::default());
        assert_eq!(build_rows(20, 5), 3, "no chrome: every line is a build");
        let b = areas(200, 50, false);
        assert!(b.phases.width > b.links.width);
        assert_eq!(
            b.header.height + b.builds.height + b.phases.height + b.status.height,
            50
        );
        let c = areas(200, 50, true);
        assert!(c.tree.width > 0 && c.tree.x < c.phases.x);
    }
}
