//! When a confirmation dialog may take a "yes" (issue #20): only once it has been on screen —
//! unobscured, fully opaque, its content as the extension drew it — for [`ARM_MS`] without a
//! break, and only from a gesture that was the user's: a press that went down on the confirm
//! button itself after that moment, or a key on a control the user (or the extension) focused.
//! A page that hides the dialog, covers it, shows it under the user's next click, or moves focus
//! onto its confirm button and waits for an Enter gets a refusal with the reason, never a request.
//!
//! The content script samples the dialog ([`ConfirmGuard::observe`]) and asks here; this module
//! only keeps the times and says yes or why not, so every rule is tested natively.

/// How long the dialog must have been fully visible before it takes a confirmation. Chromium's
/// own permission prompts ignore input for about this long after they appear; a person does not
/// read a dialog and click in less.
pub const ARM_MS: f64 = 500.0;

/// How often the content script samples the dialog's visibility while it is open.
pub const SAMPLE_MS: u32 = 100;

/// Why a confirmation was refused, for the console line and the tests.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The dialog is not fully visible now (the sentence says what hides it).
    NotVisible(String),
    /// Fully visible for less than [`ARM_MS`] when the gesture began.
    TooSoon { visible_ms: f64 },
    /// The press did not go down on the confirm button (it went down elsewhere, or before).
    PressElsewhere,
    /// The key came to a control the page focused, not the user.
    FocusedByPage,
}

impl Refusal {
    /// The console line's text (after the `[job-actions]` prefix).
    pub fn describe(&self) -> String {
        let what = match self {
            Refusal::NotVisible(why) => format!("the dialog is not fully visible ({why})"),
            Refusal::TooSoon { visible_ms } => format!(
                "the dialog had been fully visible for {} ms, less than {} ms",
                // u32, not u64: wasm2js miscompiles a float-to-u64 conversion (ARCHITECTURE.md).
                visible_ms.clamp(0.0, 1e9).round() as u32,
                ARM_MS as u32
            ),
            Refusal::PressElsewhere => {
                "the press did not start on the confirm button while it was armed".into()
            }
            Refusal::FocusedByPage => {
                "the key went to a control the page focused, not the user".into()
            }
        };
        format!("refused a confirmation: {what}; nothing was sent")
    }
}

/// One open dialog's visibility record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfirmGuard {
    /// Since when the dialog has been fully visible without a break (`None`: not now).
    visible_since: Option<f64>,
    /// Why it was not visible at the last sample, if it was not.
    hidden_because: Option<String>,
    /// Whether it was armed at the last sample (arming comes with time, not with a change).
    armed_then: bool,
}

impl ConfirmGuard {
    /// A dialog just built: not visible until a sample says so.
    pub fn new() -> ConfirmGuard {
        ConfirmGuard::default()
    }

    /// Records a sample taken at `now`: `Ok` when the dialog was fully visible, else why not.
    /// Returns whether the armed state changed (the confirm button's look follows it).
    pub fn observe(&mut self, sample: Result<(), String>, now: f64) -> bool {
        match sample {
            Ok(()) => {
                self.visible_since.get_or_insert(now);
                self.hidden_because = None;
            }
            Err(why) => {
                self.visible_since = None;
                self.hidden_because = Some(why);
            }
        }
        let armed = self.armed(now);
        std::mem::replace(&mut self.armed_then, armed) != armed
    }

    /// Whether the dialog has been fully visible for [`ARM_MS`] by `now`.
    pub fn armed(&self, now: f64) -> bool {
        self.visible_since
            .is_some_and(|since| now - since >= ARM_MS)
    }

    /// Why the dialog is not visible, as of the last sample.
    pub fn hidden_because(&self) -> Option<&str> {
        self.hidden_because.as_deref()
    }

    /// A pointer confirmation: `pressed_at` is when the press that ended in this click went down
    /// on the confirm button (`None`: it went down elsewhere, or there was none); `sample` is the
    /// dialog's visibility now.
    pub fn pointer(
        &mut self,
        pressed_at: Option<f64>,
        sample: Result<(), String>,
        now: f64,
    ) -> Result<(), Refusal> {
        self.check_now(sample, now)?;
        let Some(pressed_at) = pressed_at else {
            return Err(Refusal::PressElsewhere);
        };
        self.armed_at(pressed_at)
    }

    /// A keyboard confirmation (Enter, or Space on the button): `focused_by_user` says whether
    /// the focused control got focus from the user's own key or pointer, or from the extension.
    pub fn key(
        &mut self,
        focused_by_user: bool,
        sample: Result<(), String>,
        now: f64,
    ) -> Result<(), Refusal> {
        self.check_now(sample, now)?;
        self.armed_at(now)?;
        if focused_by_user {
            Ok(())
        } else {
            Err(Refusal::FocusedByPage)
        }
    }

    fn check_now(&mut self, sample: Result<(), String>, now: f64) -> Result<(), Refusal> {
        if let Err(why) = &sample {
            let why = why.clone();
            self.observe(sample, now);
            return Err(Refusal::NotVisible(why));
        }
        self.observe(sample, now);
        Ok(())
    }

    fn armed_at(&self, at: f64) -> Result<(), Refusal> {
        let visible_ms = self.visible_since.map_or(0.0, |since| at - since);
        if self.armed(at) {
            Ok(())
        } else {
            Err(Refusal::TooSoon { visible_ms })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visible() -> Result<(), String> {
        Ok(())
    }

    fn hidden() -> Result<(), String> {
        Err("opacity 0 on <span data-job-actions=dialog>".into())
    }

    #[test]
    fn arms_after_the_dialog_was_visible_without_a_break() {
        let mut guard = ConfirmGuard::new();
        assert!(!guard.armed(0.0));
        assert!(!guard.observe(visible(), 0.0));
        assert!(!guard.observe(visible(), 400.0));
        assert!(!guard.armed(499.0));
        // Armed by time alone, between two samples: the next sample says it changed.
        assert!(
            guard.observe(visible(), 550.0),
            "armed now: the button's look changes"
        );
        assert!(
            !guard.observe(visible(), 580.0),
            "still armed: nothing to change"
        );
        assert!(guard.armed(500.0));
        // Hidden for one sample: the clock starts again.
        assert!(guard.observe(hidden(), 600.0));
        assert_eq!(
            guard.hidden_because(),
            Some("opacity 0 on <span data-job-actions=dialog>")
        );
        guard.observe(visible(), 700.0);
        assert!(!guard.armed(1_100.0));
        assert!(guard.armed(1_200.0));
        assert_eq!(guard.hidden_because(), None);
    }

    #[test]
    fn a_press_counts_only_when_it_went_down_on_the_button_after_arming() {
        let mut guard = ConfirmGuard::new();
        guard.observe(visible(), 0.0);
        // The dialog appeared under a click already on its way.
        assert_eq!(
            guard.pointer(Some(120.0), visible(), 130.0),
            Err(Refusal::TooSoon { visible_ms: 120.0 })
        );
        // Pressed before arming, released after: still too soon.
        assert_eq!(
            guard.pointer(Some(450.0), visible(), 700.0),
            Err(Refusal::TooSoon { visible_ms: 450.0 })
        );
        assert_eq!(
            guard.pointer(None, visible(), 800.0),
            Err(Refusal::PressElsewhere)
        );
        assert_eq!(guard.pointer(Some(700.0), visible(), 780.0), Ok(()));
    }

    #[test]
    fn a_hidden_dialog_refuses_and_starts_its_clock_again() {
        let mut guard = ConfirmGuard::new();
        guard.observe(visible(), 0.0);
        let refused = guard.pointer(Some(900.0), hidden(), 950.0);
        assert_eq!(
            refused,
            Err(Refusal::NotVisible(
                "opacity 0 on <span data-job-actions=dialog>".into()
            ))
        );
        assert!(!guard.armed(1_000.0));
        // Shown again: a press right after is too soon.
        guard.observe(visible(), 1_000.0);
        assert!(matches!(
            guard.pointer(Some(1_100.0), visible(), 1_150.0),
            Err(Refusal::TooSoon { .. })
        ));
    }

    #[test]
    fn a_key_counts_only_on_a_control_the_user_focused() {
        let mut guard = ConfirmGuard::new();
        guard.observe(visible(), 0.0);
        assert!(matches!(
            guard.key(true, visible(), 200.0),
            Err(Refusal::TooSoon { .. })
        ));
        assert_eq!(
            guard.key(false, visible(), 800.0),
            Err(Refusal::FocusedByPage)
        );
        assert_eq!(guard.key(true, visible(), 800.0), Ok(()));
    }

    #[test]
    fn refusals_say_what_happened() {
        assert_eq!(
            Refusal::TooSoon { visible_ms: 120.4 }.describe(),
            "refused a confirmation: the dialog had been fully visible for 120 ms, less than 500 ms; nothing was sent"
        );
        assert_eq!(
            Refusal::FocusedByPage.describe(),
            "refused a confirmation: the key went to a control the page focused, not the user; nothing was sent"
        );
        assert!(Refusal::NotVisible("covered by <div id=lure>".into())
            .describe()
            .contains("(covered by <div id=lure>)"));
    }
}
