//! When a view polls next: quickly right after the user acted, slower and slower while nothing
//! changes, and with full-jitter backoff while requests fail. Pure and seedable.

use crate::live::backoff::{Backoff, BackoffPolicy};

/// PRD §7.4 / §13: after a delete, how long a view asks the server whether the job is gone…
pub const DELETION_CHECK_MS: u32 = 60_000;
/// …and how often.
pub const DELETION_CHECK_INTERVAL_MS: u32 = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollOutcome {
    /// The answer changed what is shown.
    Changed,
    /// Same as before (or 304).
    Unchanged,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CadencePolicy {
    /// The interval right after an action, for `fast_polls` polls.
    pub fast_ms: u32,
    pub fast_polls: u32,
    /// The interval after a change; it doubles with every unchanged answer, up to `slow_cap_ms`.
    pub base_ms: u32,
    pub slow_cap_ms: u32,
    pub errors: BackoffPolicy,
}

impl CadencePolicy {
    pub const DEFAULT: CadencePolicy = CadencePolicy {
        fast_ms: 1_000,
        fast_polls: 5,
        base_ms: 2_000,
        slow_cap_ms: 30_000,
        errors: BackoffPolicy::ERRORS,
    };
}

#[derive(Debug, Clone)]
pub struct Cadence {
    policy: CadencePolicy,
    unchanged_streak: u32,
    fast_left: u32,
    errors: Backoff,
    /// The last poll failed: the wait is the errors' backoff.
    failing: bool,
}

impl Cadence {
    pub fn new(policy: CadencePolicy, seed: u64) -> Cadence {
        Cadence {
            policy,
            unchanged_streak: 0,
            fast_left: 0,
            errors: Backoff::new(policy.errors, seed),
            failing: false,
        }
    }

    /// A view started watching: the slow cadence starts over, and the wait under way should end
    /// within the returned interval (a page opened while the feed slept 30 s on unchanged answers
    /// would otherwise see its job's changes that late). None while the server is failing: its
    /// backoff stands.
    pub fn on_new_view(&mut self) -> Option<u32> {
        if self.failing {
            return None;
        }
        self.unchanged_streak = 0;
        Some(self.policy.base_ms)
    }

    /// The user just acted: poll fast for a while to show the outcome.
    pub fn on_action(&mut self) {
        self.fast_left = self.policy.fast_polls;
        self.unchanged_streak = 0;
    }

    /// The delay before the next poll, given how the last one went.
    pub fn next_delay_ms(&mut self, outcome: PollOutcome) -> u32 {
        self.failing = outcome == PollOutcome::Failed;
        if self.failing {
            return self.errors.next_delay_ms();
        }
        self.errors.reset();
        if self.fast_left > 0 {
            self.fast_left -= 1;
            return self.policy.fast_ms;
        }
        match outcome {
            PollOutcome::Changed => self.unchanged_streak = 0,
            _ => self.unchanged_streak = self.unchanged_streak.saturating_add(1),
        }
        let grown = u64::from(self.policy.base_ms) << self.unchanged_streak.min(16);
        grown.min(u64::from(self.policy.slow_cap_ms)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PollOutcome::*;

    #[test]
    fn a_new_view_starts_the_slow_cadence_over_unless_the_server_is_failing() {
        let mut cadence = Cadence::new(CadencePolicy::DEFAULT, 1);
        assert_eq!(
            delays(&mut cadence, &[Unchanged; 5]),
            [4_000, 8_000, 16_000, 30_000, 30_000]
        );
        assert_eq!(cadence.on_new_view(), Some(2_000));
        assert_eq!(
            delays(&mut cadence, &[Unchanged, Unchanged]),
            [4_000, 8_000]
        );
        // A failing server keeps its backoff, whoever opens a page.
        cadence.next_delay_ms(Failed);
        assert_eq!(cadence.on_new_view(), None);
        cadence.next_delay_ms(Changed);
        assert_eq!(cadence.on_new_view(), Some(2_000));
    }

    fn delays(cadence: &mut Cadence, outcomes: &[PollOutcome]) -> Vec<u32> {
        outcomes
            .iter()
            .map(|outcome| cadence.next_delay_ms(*outcome))
            .collect()
    }

    #[test]
    fn slows_down_while_nothing_changes_and_resets_on_change() {
        let mut cadence = Cadence::new(CadencePolicy::DEFAULT, 1);
        assert_eq!(
            delays(
                &mut cadence,
                &[Changed, Unchanged, Unchanged, Unchanged, Unchanged, Unchanged, Changed]
            ),
            [2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 2_000]
        );
    }

    #[test]
    fn fast_right_after_an_action() {
        let mut cadence = Cadence::new(CadencePolicy::DEFAULT, 1);
        delays(&mut cadence, &[Unchanged, Unchanged, Unchanged]);
        cadence.on_action();
        assert_eq!(
            delays(&mut cadence, &[Unchanged; 6]),
            [1_000, 1_000, 1_000, 1_000, 1_000, 4_000]
        );
    }

    #[test]
    fn errors_back_off_with_jitter_then_recover() {
        let mut cadence = Cadence::new(CadencePolicy::DEFAULT, 7);
        let failing = delays(&mut cadence, &[Failed; 8]);
        for (attempt, delay) in failing.iter().enumerate() {
            let ceiling = BackoffPolicy::ERRORS
                .ceiling_ms(attempt as u32)
                .max(BackoffPolicy::ERRORS.floor_ms);
            assert!(
                (BackoffPolicy::ERRORS.floor_ms..=ceiling).contains(delay),
                "{attempt}: {delay}"
            );
        }
        assert_eq!(
            cadence.next_delay_ms(Changed),
            2_000,
            "a success ends the backoff"
        );
        let mut again = Cadence::new(CadencePolicy::DEFAULT, 7);
        assert_eq!(
            delays(&mut again, &[Failed; 8]),
            failing,
            "deterministic for a seed"
        );
    }
}
