//! The start / relaunch form: prefilled with what a build ran with, edited
//! field by field, checked, reviewed as a diff, then sent by the app.

mod edit;
mod fields;
mod review;
mod validate;
mod view;

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::domain::{BatchConfig, EnvVar, Overrides};

pub(crate) use fields::{Field, Kind};
pub(crate) use review::{env_value_shown, shown};
pub use review::{masked, MASK};
pub(crate) use validate::Problem;
pub(crate) use view::{buildspec_window, errors_on};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Editing,
    ConfirmDiscard,
    Review,
    Sending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormEvent {
    None,
    Cancel,
    Submit,
}

/// What `values` returns when everything is valid: the overrides, and the
/// batch configuration for a batch form.
pub type Edited = (Overrides, Option<BatchConfig>);

/// One difference from what the build ran with, as the user reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A focusable row of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    Field(Field),
    EnvHeader,
    Env(usize, EnvPart),
    Advanced,
}

/// The sub-fields of one environment variable, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EnvPart {
    Name,
    Value,
    Type,
}

impl EnvPart {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            EnvPart::Name => "name",
            EnvPart::Value => "value",
            EnvPart::Type => "type",
        }
    }
}

#[derive(Clone)]
pub struct Form {
    title: String,
    project: String,
    batch: bool,
    original: Overrides,
    /// Kept as the diff's baseline; `load` never replaces it.
    original_texts: Vec<String>,
    /// One editable text per field, in `fields::ALL` order.
    texts: Vec<String>,
    env: Vec<EnvVar>,
    /// Variables a preset held without their value (masking was on) and
    /// the build had no value for: never sent empty unnoticed.
    missing: Vec<String>,
    /// Index into `items()`; clamped on read since rows come and go.
    focus: usize,
    advanced_open: bool,
    stage: Stage,
    /// Errors appear once the user asked for a review, then follow edits.
    show_errors: bool,
    api_error: Option<String>,
}

/// Leaves out the values: they may hold plaintext secrets.
impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Form")
            .field("title", &self.title)
            .field("project", &self.project)
            .field("batch", &self.batch)
            .field("stage", &self.stage)
            .finish_non_exhaustive()
    }
}

impl Form {
    /// `batch`: Some for StartBuildBatch (adds the buildBatchConfigOverride fields).
    pub fn new(
        title: String,
        project: String,
        original: Overrides,
        batch: Option<BatchConfig>,
    ) -> Form {
        let texts = fields::texts_of(&original, batch.as_ref());
        Form {
            title,
            project,
            batch: batch.is_some(),
            env: original.env_vars.clone(),
            missing: Vec::new(),
            original,
            original_texts: texts.clone(),
            texts,
            focus: 0,
            advanced_open: false,
            stage: Stage::Editing,
            show_errors: false,
            api_error: None,
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn project(&self) -> &str {
        &self.project
    }

    pub fn is_batch(&self) -> bool {
        self.batch
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn on_key(&mut self, key: KeyEvent) -> FormEvent {
        if key.kind == KeyEventKind::Release {
            return FormEvent::None;
        }
        match self.stage {
            Stage::Editing => self.edit(key),
            Stage::ConfirmDiscard => match key.code {
                KeyCode::Char('y' | 'Y') => FormEvent::Cancel,
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    self.stage = Stage::Editing;
                    FormEvent::None
                }
                _ => FormEvent::None,
            },
            Stage::Review => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => self.submit(),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    self.stage = Stage::Editing;
                    FormEvent::None
                }
                _ => FormEvent::None,
            },
            Stage::Sending => FormEvent::None,
        }
    }

    /// The edited values, or every validation error as (field label, message).
    pub fn values(&self) -> Result<Edited, Vec<(String, String)>> {
        let (overrides, batch, problems) = validate::check(self);
        if problems.is_empty() {
            Ok((overrides, self.batch.then_some(batch)))
        } else {
            Err(problems.into_iter().map(|p| (p.label, p.message)).collect())
        }
    }

    /// Only what differs from the original, for the review screen. Values
    /// are real; drawing masks them (see `changes_masked`).
    pub fn changes(&self) -> Vec<Change> {
        self.changes_masked(false)
    }

    pub fn is_dirty(&self) -> bool {
        !self.changes().is_empty()
    }

    /// The request is under way: keys do nothing until the app reports back.
    pub fn set_sending(&mut self) {
        self.stage = Stage::Sending;
        self.api_error = None;
    }

    /// An error the API returned: shown in the form, input kept, back to Editing.
    pub fn set_api_error(&mut self, message: String) {
        self.api_error = Some(message);
        self.stage = Stage::Editing;
    }

    pub fn api_error(&self) -> Option<&str> {
        self.api_error.as_deref()
    }

    /// Replace the values (loading a preset); the original stays for the
    /// diff. A non-batch form ignores `batch`; a batch form given None
    /// clears its batch fields. A `withheld` variable takes its value from
    /// the build relaunched, else is marked for the user to fill in;
    /// returns how many are marked.
    pub fn load(
        &mut self,
        overrides: Overrides,
        batch: Option<BatchConfig>,
        withheld: &[String],
    ) -> usize {
        let batch = if self.batch {
            Some(batch.unwrap_or_default())
        } else {
            None
        };
        self.texts = fields::texts_of(&overrides, batch.as_ref());
        self.env = overrides.env_vars;
        self.missing.clear();
        for var in &mut self.env {
            if !var.value.is_empty() || !withheld.contains(&var.name) {
                continue;
            }
            let ran_with = self.original.env_vars.iter();
            match ran_with
                .filter(|v| !v.is_reference())
                .find(|v| v.name == var.name)
            {
                Some(old) => var.value = old.value.clone(),
                None => self.missing.push(var.name.clone()),
            }
        }
        self.stage = Stage::Editing;
        self.show_errors = !self.missing.is_empty();
        self.missing.len()
    }

    fn submit(&mut self) -> FormEvent {
        if validate::check(self).2.is_empty() {
            self.set_sending();
            FormEvent::Submit
        } else {
            self.stage = Stage::Editing;
            self.show_errors = true;
            FormEvent::None
        }
    }

    /// Focusable rows in display order.
    pub(crate) fn items(&self) -> Vec<Item> {
        let mut items = vec![Item::Field(Field::SourceVersion), Item::EnvHeader];
        for i in 0..self.env.len() {
            for part in [EnvPart::Name, EnvPart::Value, EnvPart::Type] {
                items.push(Item::Env(i, part));
            }
        }
        items.extend(fields::MAIN.iter().map(|&f| Item::Field(f)));
        items.push(Item::Advanced);
        if self.advanced_open {
            items.extend(fields::ADVANCED.iter().map(|&f| Item::Field(f)));
        }
        if self.batch {
            items.extend(fields::BATCH.iter().map(|&f| Item::Field(f)));
        }
        items
    }

    pub(crate) fn focused(&self) -> Item {
        let items = self.items();
        let last = items.len().saturating_sub(1);
        items
            .get(self.focus.min(last))
            .copied()
            .unwrap_or(Item::Field(Field::SourceVersion))
    }

    pub(crate) fn text(&self, field: Field) -> &str {
        self.texts.get(field.index()).map_or("", String::as_str)
    }

    pub fn env_vars(&self) -> &[EnvVar] {
        &self.env
    }

    pub(crate) fn missing(&self) -> &[String] {
        &self.missing
    }

    /// Validation errors to show inline; none until the user asked to review.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        if self.show_errors {
            validate::check(self).2
        } else {
            Vec::new()
        }
    }
}
