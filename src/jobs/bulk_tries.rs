//! The tries each job of a bulk run has used against a busy server (issue #24). A busy answer
//! that came while other jobs were done is the server pacing the run (a rate limiter), not
//! refusing this job: that send is given back, so a run behind a rate limiter loses no job to it.
//! Still bounded: every send given back is another job done.

/// Per job, the sends it has used and how many jobs were done when it last went; and how many
/// jobs are done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tries {
    jobs: Vec<(String, u32, u32)>,
    done: u32,
}

impl Tries {
    /// `job` is sent now.
    pub fn sent(&mut self, job: &str) {
        let done = self.done;
        match self.jobs.iter_mut().find(|(id, ..)| id == job) {
            Some((_, count, done_when_sent)) => {
                *count += 1;
                *done_when_sent = done;
            }
            None => self.jobs.push((job.to_string(), 1, done)),
        }
    }

    /// A job is done.
    pub fn done(&mut self) {
        self.done += 1;
    }

    /// `job` was answered busy: the sends it has used, the last given back when others were
    /// done meanwhile.
    pub fn busy(&mut self, job: &str) -> u32 {
        let done = self.done;
        match self.jobs.iter_mut().find(|(id, ..)| id == job) {
            Some((_, count, done_when_sent)) => {
                if done > *done_when_sent {
                    *count -= 1;
                }
                *count
            }
            None => 1,
        }
    }
}
