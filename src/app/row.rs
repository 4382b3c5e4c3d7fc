use crate::domain::BuildId;

/// What a row of the builds pane shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Row {
    Build(BuildId),
    Batch(BuildId),
    /// The build of a batch's group, shown indented under its expanded batch.
    Group {
        batch: BuildId,
        build: BuildId,
    },
}

impl Row {
    /// The ID of what the row shows: a build's, or a batch's.
    pub fn id(&self) -> &BuildId {
        match self {
            Row::Build(id) | Row::Batch(id) | Row::Group { build: id, .. } => id,
        }
    }

    /// The build whose phases and links the details panes show, if any.
    pub fn build_id(&self) -> Option<&BuildId> {
        match self {
            Row::Build(id) | Row::Group { build: id, .. } => Some(id),
            Row::Batch(_) => None,
        }
    }
}
