//! Which setting wins: the command line, the config file, the environment,
//! the defaults. Decided here from inputs the program gathers, so that
//! deciding reads no file and no variable itself.
//!
//! `--endpoint-url` arrives with AWS_ENDPOINT_URL already folded in by
//! clap (the flag first): either wins over a context's `endpoint_url`.

use std::ffi::OsString;

use chrono::FixedOffset;

use super::Config;
use crate::app::keymap;
use crate::app::runaway::Thresholds;
use crate::app::Settings;
use crate::aws::profiles;
use crate::aws::{ConnectOptions, DEFAULT_MAX_RESPONSE_BYTES};
use crate::cli::Cli;

/// Everything the settings are decided from.
pub struct Sources<'a> {
    pub cli: &'a Cli,
    pub file: &'a Config,
    /// A variable of the environment by name (`std::env::var_os` in the
    /// program).
    pub env: &'a dyn Fn(&str) -> Option<OsString>,
    /// The profile names of the AWS config and credentials files.
    pub known_profiles: &'a [String],
    /// Where those files are, for messages.
    pub profile_files: &'a str,
}

impl Sources<'_> {
    fn var(&self, name: &str) -> Option<String> {
        (self.env)(name).and_then(|v| v.into_string().ok())
    }

    /// The command line wins over the config file, which wins over the
    /// defaults; a switch is on when either turns it on.
    pub fn settings(&self) -> Settings {
        let (cli, file) = (self.cli, self.file);
        let defaults = Settings::default();
        let r = &file.runaway;
        Settings {
            read_only: cli.read_only || file.read_only,
            poll_secs: cli.poll.or(file.poll_secs).unwrap_or(defaults.poll_secs),
            projects: if cli.projects.is_empty() {
                file.projects.clone()
            } else {
                cli.projects.clone()
            },
            mask_plaintext: cli.mask_values || file.mask_plaintext,
            log_lines: cli
                .log_lines
                .map(|n| n as usize)
                .or(file.log_lines)
                .unwrap_or(defaults.log_lines),
            notify_projects: file.notify_projects.clone(),
            keys: file
                .keys
                .iter()
                .filter_map(|(name, spec)| {
                    keymap::action_named(name).map(|action| keymap::Override {
                        action,
                        code: spec.code,
                        modifiers: spec.modifiers,
                    })
                })
                .collect(),
            columns: file
                .columns
                .as_ref()
                .map(|cols| cols.iter().map(|c| c.name().to_string()).collect()),
            runaway: Thresholds {
                p90_factor: r.p90_factor,
                timeout_fraction: r.timeout_fraction,
                phase_factor: r.phase_factor,
                min_history: r.min_history,
                idle_cpu_percent: r.idle_cpu_percent,
                idle_minutes: r.idle_minutes,
            },
            no_color: self.no_color(),
            ascii: cli.ascii || file.ascii,
            ..defaults
        }
    }

    /// NO_COLOR set and not empty asks for no colour (https://no-color.org).
    pub fn no_color(&self) -> bool {
        (self.env)("NO_COLOR").is_some_and(|v| !v.is_empty())
    }

    /// The response size limit: the command line's, else the file's, else 64 MB.
    pub fn max_response_bytes(&self) -> u64 {
        self.cli
            .max_response_mb
            .or(self.file.max_response_mb)
            .map_or(DEFAULT_MAX_RESPONSE_BYTES, |mb| mb * 1024 * 1024)
    }

    /// Settings and connection for the commands that print instead of
    /// drawing: read-only, times in `tz`, the first account and region.
    pub fn headless(&self, tz: FixedOffset) -> Result<(Settings, ConnectOptions), String> {
        let settings = Settings {
            read_only: true,
            tz,
            ..self.settings()
        };
        // Scripts watch one account and region: the first given.
        let options = self
            .connect_options()?
            .into_iter()
            .next()
            .map(|(_, options)| options)
            .unwrap_or_default();
        Ok((settings, options))
    }

    /// The dashboard's settings, with the header's text and a name per
    /// context when there are several, and the contexts to connect to.
    pub fn dashboard(&self) -> Result<(Settings, Vec<ConnectOptions>), String> {
        let contexts = self.connect_options()?;
        let mut settings = self.settings();
        settings.context = match contexts.as_slice() {
            [_] => self.context_label(),
            many => format!("{} accounts and regions", many.len()),
        };
        if contexts.len() > 1 {
            settings.context_names = contexts.iter().map(|(name, _)| name.clone()).collect();
        }
        Ok((settings, contexts.into_iter().map(|(_, o)| o).collect()))
    }

    /// Header text naming where the dashboard looks: the flags, else the
    /// environment, else the default profile.
    pub fn context_label(&self) -> String {
        let cli = self.cli;
        let profile = cli
            .profile
            .first()
            .cloned()
            .or_else(|| self.var("AWS_PROFILE"))
            .unwrap_or_else(|| "default".into());
        let region = cli
            .region
            .first()
            .cloned()
            .or_else(|| self.var("AWS_REGION"))
            .or_else(|| self.var("AWS_DEFAULT_REGION"));
        let mut parts = vec![format!("profile {profile}")];
        if let Some(r) = region {
            parts.push(r);
        }
        if let Some(url) = &cli.endpoint_url {
            parts.push(url.clone());
        }
        if !cli.projects.is_empty() {
            parts.push(format!("projects: {}", cli.projects.join(", ")));
        }
        parts.join(" · ")
    }

    /// The profiles given, globs expanded, or every profile with --all-profiles.
    pub fn chosen_profiles(&self) -> Result<Vec<String>, String> {
        let (cli, known) = (self.cli, self.known_profiles);
        // A profile that does not exist is said by name, before anything runs.
        if let Some(missing) = cli
            .profile
            .iter()
            .find(|p| !profiles::is_glob(p) && !known.contains(p))
        {
            return Err(format!("no profile {missing:?} in {}", self.profile_files));
        }
        let globs = cli.profile.iter().any(|p| profiles::is_glob(p));
        if !cli.all_profiles && !globs {
            return Ok(cli.profile.clone());
        }
        if cli.all_profiles {
            if known.is_empty() {
                return Err(
                    "--all-profiles: no profile in the AWS config or credentials file".into(),
                );
            }
            return Ok(known.to_vec());
        }
        profiles::expand(&cli.profile, known)
    }

    /// Every account and region to watch, named: each profile given times
    /// each region given (flags first, else the config file's contexts,
    /// else the default chain).
    pub fn connect_options(&self) -> Result<Vec<(String, ConnectOptions)>, String> {
        let (cli, file) = (self.cli, self.file);
        if cli.profile.is_empty()
            && !cli.all_profiles
            && cli.region.is_empty()
            && !file.contexts.is_empty()
        {
            return Ok(file
                .contexts
                .iter()
                .map(|c| {
                    let options = ConnectOptions {
                        profile: c.profile.clone(),
                        region: c.region.clone(),
                        endpoint_url: cli.endpoint_url.clone().or_else(|| c.endpoint_url.clone()),
                        max_response_bytes: self.max_response_bytes(),
                        ..ConnectOptions::default()
                    };
                    (c.name.clone(), options)
                })
                .collect());
        }
        let names = self.chosen_profiles()?;
        let profiles: Vec<Option<String>> = if names.is_empty() {
            vec![None]
        } else {
            names.into_iter().map(Some).collect()
        };
        let regions: Vec<Option<String>> = if cli.region.is_empty() {
            vec![None]
        } else {
            cli.region.iter().cloned().map(Some).collect()
        };
        let mut out = Vec::new();
        for profile in &profiles {
            for region in &regions {
                let name = format!(
                    "{}/{}",
                    profile.as_deref().unwrap_or("default"),
                    region.as_deref().unwrap_or("default")
                );
                let options = ConnectOptions {
                    profile: profile.clone(),
                    region: region.clone(),
                    endpoint_url: cli.endpoint_url.clone(),
                    max_response_bytes: self.max_response_bytes(),
                    ..ConnectOptions::default()
                };
                out.push((name, options));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
