//! The overlay's job state: what the API last said about each job on this page.

use job_actions::Job;
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct JobStore {
    jobs: HashMap<String, Job>,
}

impl JobStore {
    pub fn get(&self, job_id: &str) -> Option<&Job> {
        self.jobs.get(job_id)
    }

    pub fn put(&mut self, job: Job) {
        self.jobs.insert(job.id.clone(), job);
    }

    pub fn put_all(&mut self, jobs: Vec<Job>) {
        for job in jobs {
            self.put(job);
        }
    }
}
