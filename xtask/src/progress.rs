//! The phases of long work, shown as they go: a spinner with the phase's name and the elapsed
//! time on a terminal, one line per finished phase (on stderr, so `--json` stdout stays clean).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

pub(crate) struct Phases {
    start: Instant,
    spinner: Option<ProgressBar>,
    quiet: bool,
}

impl Phases {
    /// Starts the clock; `quiet` (as with `--json`) prints nothing.
    pub(crate) fn new(quiet: bool) -> Self {
        let spinner = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let spinner = ProgressBar::new_spinner();
            spinner.set_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                    .expect("a valid template"),
            );
            spinner.enable_steady_tick(Duration::from_millis(100));
            spinner
        });
        Self {
            start: Instant::now(),
            spinner,
            quiet,
        }
    }

    /// Names the phase now running.
    pub(crate) fn begin(&self, what: &str) {
        if let Some(spinner) = &self.spinner {
            spinner.set_message(what.to_owned());
        }
    }

    /// Reports a finished phase with the time since the start.
    pub(crate) fn done(&self, what: &str) {
        let line = format!("  {:>8.2}s  {what}", self.elapsed_s());
        match &self.spinner {
            Some(spinner) => spinner.println(line),
            None if !self.quiet => eprintln!("{line}"),
            None => {}
        }
    }

    /// Seconds since the start.
    pub(crate) fn elapsed_s(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        if let Some(spinner) = &self.spinner {
            spinner.finish_and_clear();
        }
    }
}
