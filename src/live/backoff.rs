//! The delay schedule every poller uses: exponential growth with full jitter, capped, and
//! deterministic for a given seed so tests can pin exact delays.
//!
//! Full jitter (a delay drawn uniformly from `[floor, min(cap, base·2^n)]`) spreads the retries of
//! many tabs and clients apart, which fixed exponential steps would synchronise.

/// The shape of a schedule, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffPolicy {
    /// The ceiling of the first delay.
    pub base_ms: u32,
    /// No delay is ever longer than this.
    pub cap_ms: u32,
    /// No delay is ever shorter than this, so a poller never spins.
    pub floor_ms: u32,
}

impl BackoffPolicy {
    /// For retrying failed requests: up to 1 s at first, never more than 60 s apart.
    pub const ERRORS: BackoffPolicy = BackoffPolicy {
        base_ms: 1_000,
        cap_ms: 60_000,
        floor_ms: 250,
    };

    /// The ceiling of the `attempt`-th delay (0-based): `min(cap, base·2^attempt)`.
    pub fn ceiling_ms(&self, attempt: u32) -> u32 {
        let grown = u64::from(self.base_ms).saturating_mul(1u64 << attempt.min(32));
        grown.min(u64::from(self.cap_ms)) as u32
    }
}

/// A small, fast, seedable generator (SplitMix64); not for secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[low, high]` (both included).
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        if high <= low {
            return low;
        }
        let span = u64::from(high - low) + 1;
        low + (self.next_u64() % span) as u32
    }
}

/// A running schedule: each `next_delay_ms` is drawn from a ceiling that doubles up to the cap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    policy: BackoffPolicy,
    attempt: u32,
    rng: SplitMix64,
}

impl Backoff {
    pub fn new(policy: BackoffPolicy, seed: u64) -> Backoff {
        Backoff {
            policy,
            attempt: 0,
            rng: SplitMix64::new(seed),
        }
    }

    /// The next delay, then grows the ceiling for the one after.
    pub fn next_delay_ms(&mut self) -> u32 {
        let ceiling = self
            .policy
            .ceiling_ms(self.attempt)
            .max(self.policy.floor_ms);
        self.attempt = self.attempt.saturating_add(1);
        self.rng.between(self.policy.floor_ms, ceiling)
    }

    /// Back to the first step (after a success, or after the user acted).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    /// How many delays were drawn since the last reset.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: BackoffPolicy = BackoffPolicy {
        base_ms: 1_000,
        cap_ms: 8_000,
        floor_ms: 100,
    };

    #[test]
    fn ceilings_double_up_to_the_cap() {
        let ceilings: Vec<u32> = (0..6).map(|n| POLICY.ceiling_ms(n)).collect();
        assert_eq!(ceilings, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
        assert_eq!(
            POLICY.ceiling_ms(u32::MAX),
            8_000,
            "no overflow on huge attempts"
        );
    }

    #[test]
    fn every_delay_stays_within_floor_and_ceiling() {
        for seed in 0..200 {
            let mut backoff = Backoff::new(POLICY, seed);
            for attempt in 0..12 {
                let delay = backoff.next_delay_ms();
                assert!(
                    (POLICY.floor_ms..=POLICY.ceiling_ms(attempt)).contains(&delay),
                    "seed {seed} attempt {attempt}: {delay}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_schedule_other_seed_other_schedule() {
        let draw = |seed| {
            let mut backoff = Backoff::new(POLICY, seed);
            (0..8).map(|_| backoff.next_delay_ms()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn jitter_uses_the_whole_range() {
        // Full jitter: over many draws at the cap, both ends of the range are reached closely.
        let mut backoff = Backoff::new(POLICY, 42);
        for _ in 0..4 {
            backoff.next_delay_ms();
        }
        let draws: Vec<u32> = (0..2_000).map(|_| backoff.next_delay_ms()).collect();
        assert!(*draws.iter().min().unwrap() < POLICY.floor_ms + 100);
        assert!(*draws.iter().max().unwrap() > POLICY.cap_ms - 100);
    }

    #[test]
    fn reset_starts_over() {
        let mut backoff = Backoff::new(POLICY, 1);
        for _ in 0..5 {
            backoff.next_delay_ms();
        }
        assert_eq!(backoff.attempt(), 5);
        backoff.reset();
        assert_eq!(backoff.attempt(), 0);
        assert!(backoff.next_delay_ms() <= POLICY.base_ms);
    }

    #[test]
    fn between_handles_degenerate_ranges() {
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.between(5, 5), 5);
        assert_eq!(rng.between(9, 3), 9);
        // The full u32 range must not overflow the span computation.
        assert!(rng.between(u32::MAX - 1, u32::MAX) >= u32::MAX - 1);
    }
}
