//! The demo's regression: the data pipeline's builds passed on the
//! standard:6.0 image; since the project moved to standard:7.0 (its last
//! modification) its tests fail, naming the same tests in every build, so
//! "what changed since it last passed" has one answer: the image.

use std::sync::Arc;

use crate::build::{Build, Settings};
use crate::catalog::Place;
use crate::clock::DAY;
use crate::phase::{Context, Phase, Status};
use crate::reports::{REGRESSED_IMAGE, REGRESSED_PROJECT};
use crate::state::SimState;
use crate::timeline::Ending;

/// The image the project built with before the change.
pub(crate) const OLD_IMAGE: &str = "aws/codebuild/standard:6.0";
const TEST_COMMAND: &str = "pytest -q";

/// When the project's image changed: its last modification.
pub(crate) fn changed_at(state: &SimState) -> Option<i64> {
    let def = state.catalog.find(REGRESSED_PROJECT)?;
    Some(state.started_at - def.modified_days_ago * DAY)
}

/// The project's settings before the change.
pub(crate) fn old_settings(state: &SimState) -> Option<Arc<Settings>> {
    let def = state.catalog.find(REGRESSED_PROJECT)?;
    let place: &Place = &state.place;
    let mut settings = Settings::for_project(def, place);
    settings
        .environment
        .insert("image".into(), OLD_IMAGE.into());
    Some(Arc::new(settings))
}

/// A build of the project on the new image fails its tests whenever they
/// run: its plan, made without knowing of the regression, is bent so.
pub(crate) fn regress(build: &mut Build) {
    if build.project != REGRESSED_PROJECT || build.settings.image() != REGRESSED_IMAGE {
        return;
    }
    let tests_run = match &build.plan.ending {
        Ending::Success => true,
        Ending::Breaks { phase, .. } => *phase >= Phase::Build,
    };
    if tests_run {
        build.plan.ending = Ending::Breaks {
            phase: Phase::Build,
            status: Status::Failed,
            context: Context::command_failed(TEST_COMMAND, 1),
        };
    }
}

/// A build on the old image that passes (the last one before the change).
pub(crate) fn pass(build: &mut Build) {
    build.plan.ending = Ending::Success;
    build.stop_at = None;
    let most = (build.profile.build_secs.1 * 1000.0) as i64;
    let phase = &mut build.plan.durations[Phase::Build.index()];
    *phase = (*phase).min(most);
}
