//! One request per job across views (issue #24): a bulk run sends a job only while it holds the
//! job's claim, which the background keeps for every view (a tab's run and the popup's acting on
//! the same jobs at once: each job gets one request). Claims are asked for ahead, up to `AHEAD`
//! jobs in one message, and again before the run runs out of them, so a run pays one round trip
//! to the background per batch, not one per job in each request slot (measured in a 500-job run:
//! a claim per job cost the page more main thread than its DELETEs). Pure: `bulk::Run` keeps one.

use std::collections::VecDeque;

/// The most jobs one claim message asks for.
pub const AHEAD: usize = 32;
/// A claim older than this is asked for again before its job is sent: the background lets a
/// claim lapse after 60 s, and a run paused that long by a busy server must not send a job
/// another view took meanwhile.
pub const FRESH_MS: u64 = 30_000;

/// A claim message's `jobs`, as the background reads them: a JSON array of the job ids.
pub fn jobs_text(jobs: &[String]) -> String {
    crate::api::json::write_array(jobs, |out, job| crate::api::json::write_string(out, job))
}

/// The background's answer to a claim message, one character per job in order ("0": another
/// view holds it), as one bool per job: whether the run now holds it. Anything else than "0"
/// refuses nothing, as a background that does not answer.
pub fn granted(answer: &str) -> Vec<bool> {
    answer.bytes().map(|held| held != b'0').collect()
}

/// The claims a run holds for jobs it has not sent yet, and whether a batch is on its way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Claims {
    /// Job and when its claim was granted; a job leaves when it is sent.
    held: Vec<(String, u64)>,
    asking: bool,
}

impl Claims {
    /// Whether the run may send `job` now.
    pub fn holds(&self, job: &str, now_ms: u64) -> bool {
        self.held
            .iter()
            .any(|(id, at)| id == job && now_ms.saturating_sub(*at) < FRESH_MS)
    }

    /// The batch to claim now, if one is due: when the job to send next has no claim, or the run
    /// holds fewer than half a batch (asked early, so the request slots never wait for it). None
    /// while a batch is on its way, or when every queued job is held.
    pub fn due(&mut self, queued: &VecDeque<String>, now_ms: u64) -> Option<Vec<String>> {
        if self.asking {
            return None;
        }
        let fresh = self
            .held
            .iter()
            .filter(|(_, at)| now_ms.saturating_sub(*at) < FRESH_MS)
            .count();
        let front_held = queued.front().is_some_and(|job| self.holds(job, now_ms));
        if front_held && fresh >= AHEAD / 2 {
            return None;
        }
        let mut batch = Vec::new();
        for job in queued {
            if batch.len() == AHEAD {
                break;
            }
            if !self.holds(job, now_ms) {
                batch.push(job.clone());
            }
        }
        self.asking = !batch.is_empty();
        self.asking.then_some(batch)
    }

    /// The background's answer to the batch: each job and whether this run now holds it.
    pub fn answered(&mut self, granted: impl IntoIterator<Item = String>, now_ms: u64) {
        self.asking = false;
        for job in granted {
            self.held.retain(|(id, _)| *id != job);
            self.held.push((job, now_ms));
        }
    }

    /// `job` is being sent: its claim is spent (a busy answer that sends it again claims again).
    pub fn sent(&mut self, job: &str) {
        self.held.retain(|(id, _)| id != job);
    }

    /// The claims held for jobs no longer queued (stopped, or left): to give back, so another
    /// view may act on them at once rather than after the claims lapse.
    pub fn unused(&mut self, queued: &VecDeque<String>) -> Vec<String> {
        let mut unused = Vec::new();
        self.held.retain(|(job, _)| {
            let kept = queued.contains(job);
            if !kept {
                unused.push(job.clone());
            }
            kept
        });
        unused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(count: usize) -> VecDeque<String> {
        (0..count).map(|n| format!("j{n}")).collect()
    }

    #[test]
    fn the_message_names_the_jobs_as_json_and_the_answer_is_a_character_per_job() {
        let jobs = vec!["a".to_string(), "b\"c".to_string()];
        assert_eq!(jobs_text(&jobs), r#"["a","b\"c"]"#);
        assert_eq!(granted("101"), [true, false, true]);
        assert!(granted("").is_empty());
    }

    #[test]
    fn the_first_batch_is_the_first_jobs_and_none_is_asked_while_it_is_on_its_way() {
        let (mut claims, queued) = (Claims::default(), queue(100));
        let batch = claims.due(&queued, 0).unwrap();
        assert_eq!(batch.len(), AHEAD);
        assert_eq!(batch[0], "j0");
        assert!(claims.due(&queued, 0).is_none());
        assert!(!claims.holds("j0", 0));
        claims.answered(batch, 5);
        assert!(claims.holds("j0", 5) && claims.holds("j31", 5) && !claims.holds("j32", 5));
    }

    #[test]
    fn the_next_batch_is_asked_before_the_held_ones_run_out_and_skips_those_held() {
        let (mut claims, mut queued) = (Claims::default(), queue(100));
        let batch = claims.due(&queued, 0).unwrap();
        claims.answered(batch, 0);
        // Half a batch held still: not yet.
        for _ in 0..AHEAD / 2 {
            assert!(claims.due(&queued, 0).is_none());
            claims.sent(&queued.pop_front().unwrap());
        }
        assert!(claims.due(&queued, 0).is_none());
        claims.sent(&queued.pop_front().unwrap());
        let next = claims.due(&queued, 0).unwrap();
        assert_eq!(
            next.first().map(String::as_str),
            Some("j32"),
            "the held ones skipped"
        );
        assert_eq!(next.len(), AHEAD);
    }

    #[test]
    fn a_claim_too_old_is_asked_again_before_its_job_is_sent() {
        let (mut claims, queued) = (Claims::default(), queue(3));
        let batch = claims.due(&queued, 0).unwrap();
        claims.answered(batch, 0);
        assert!(claims.holds("j0", FRESH_MS - 1));
        assert!(!claims.holds("j0", FRESH_MS));
        assert_eq!(claims.due(&queued, FRESH_MS).unwrap(), ["j0", "j1", "j2"]);
    }

    #[test]
    fn claims_of_jobs_no_longer_queued_are_given_back_once() {
        let (mut claims, mut queued) = (Claims::default(), queue(4));
        let batch = claims.due(&queued, 0).unwrap();
        claims.answered(batch, 0);
        claims.sent("j0");
        queued.pop_front();
        queued.retain(|job| job == "j3");
        assert_eq!(claims.unused(&queued), ["j1", "j2"]);
        assert!(claims.unused(&queued).is_empty());
        assert!(claims.holds("j3", 0));
    }
}
