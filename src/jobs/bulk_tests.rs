use super::*;
use crate::jobs::bulk_offer::{confirm_title, named, Offer};
use crate::jobs::phase::Phase;

fn ids(range: std::ops::Range<u32>) -> Vec<String> {
    range.map(|i| i.to_string()).collect()
}

/// Sends what the run asks for at `now` until it asks to wait (every claim granted at once);
/// the jobs sent.
fn fill(run: &mut Run, now: u64) -> Vec<String> {
    let mut sent = Vec::new();
    loop {
        match run.next(now) {
            Next::Send(job) => sent.push(job),
            Next::Claim(jobs) => {
                let unused = run.claimed(jobs, &[], now);
                assert!(unused.is_empty(), "{unused:?}");
            }
            _ => return sent,
        }
    }
}

#[test]
fn the_bar_counts_only_the_jobs_each_action_applies_to() {
    let phases: Vec<Phase> = ["matching", "evidence", "completed", "failed", "archiving"]
        .iter()
        .map(|wire| Phase::parse(wire))
        .collect();
    let offer = Offer::of(&phases);
    assert_eq!(
        offer,
        Offer {
            selected: 5,
            running: 2,
            finished: 2
        }
    );
    assert_eq!(offer.selected_text(), "5 selected");
    assert_eq!(offer.button(BulkKind::Cancel), ("Cancel 2".into(), None));
    assert_eq!(
        offer.button(BulkKind::Delete { force: false }),
        ("Delete 4".into(), None)
    );
    let finished = Offer::of(&[Phase::parse("completed")]);
    assert_eq!(
        finished.button(BulkKind::Cancel),
        (
            "Cancel 0".into(),
            Some("None of the selected jobs is running.")
        )
    );
    assert!(BulkKind::Cancel.applies_to(&Phase::parse("matching")));
    assert!(!BulkKind::Delete { force: false }.applies_to(&Phase::parse("matching")));
    assert!(BulkKind::Delete { force: true }.applies_to(&Phase::parse("matching")));
    assert!(!BulkKind::Delete { force: true }.applies_to(&Phase::parse("archiving")));
}

#[test]
fn the_confirmation_names_five_and_counts_the_rest() {
    let titles: Vec<String> = (1..=7).map(|i| format!("Run {i}")).collect();
    let (shown, more) = named(&titles);
    assert_eq!(shown.len(), 5);
    assert_eq!(more.as_deref(), Some("and 2 more"));
    assert_eq!(named(&titles[..3]), (&titles[..3], None));
    assert_eq!(confirm_title(BulkKind::Cancel, 1), "Cancel 1 job?");
    assert_eq!(
        confirm_title(BulkKind::Delete { force: true }, 120),
        "Delete 120 jobs?"
    );
}

#[test]
fn never_more_than_four_in_flight_and_each_job_once() {
    let mut jobs = ids(0..10);
    jobs.push("3".into());
    let mut run = Run::new(BulkKind::Delete { force: false }, jobs);
    assert_eq!(run.total(), 10);
    let mut sent = fill(&mut run, 0);
    assert_eq!(sent, ["0", "1", "2", "3"]);
    assert_eq!(run.next(0), Next::Answers);
    while !run.is_finished() {
        let first = run.in_flight()[0].clone();
        run.answered(&first, Answer::Done, 0);
        // An answer twice, or for a job never sent, changes nothing.
        run.answered(&first, Answer::Done, 0);
        run.answered("nobody", Answer::Done, 0);
        sent.extend(fill(&mut run, 0));
        assert!(run.in_flight().len() <= CONCURRENCY);
    }
    assert_eq!(sent, ids(0..10));
    assert_eq!(run.summary(), "10 deleted");
    assert_eq!(run.progress(), "Deleting 10 / 10");
}

#[test]
fn stop_schedules_nothing_more_and_what_was_in_flight_is_still_reported() {
    let mut run = Run::new(BulkKind::Cancel, ids(0..10));
    assert_eq!(fill(&mut run, 0).len(), 4);
    run.answered("0", Answer::Done, 0);
    run.stop();
    assert!(run.is_stopped());
    assert_eq!(run.next(0), Next::Answers);
    run.answered("1", Answer::Failed("Not allowed".into()), 0);
    run.answered("2", Answer::Done, 0);
    run.answered("3", Answer::Done, 0);
    assert_eq!(run.next(0), Next::Finished);
    assert_eq!(run.summary(), "3 cancelled · 1 failed · 6 not started");
    assert_eq!(run.progress(), "Cancelling 4 / 10");
    assert_eq!(
        run.failures(),
        [("1".to_string(), "Not allowed".to_string())]
    );
    assert_eq!(run.outcome("9"), Some(&Outcome::NotStarted));
}

#[test]
fn a_busy_server_pauses_every_new_request_for_its_retry_after_then_the_job_goes_again() {
    let mut run = Run::new(BulkKind::Delete { force: false }, ids(0..6));
    fill(&mut run, 0);
    let busy = |retry_after_ms| Answer::Busy {
        message: "Too many requests".into(),
        retry_after_ms,
    };
    run.answered("1", busy(Some(2_000)), 100);
    // Nothing new before the pause ends, though a slot is free.
    assert_eq!(run.next(1_000), Next::WaitUntil(2_100));
    run.answered("0", Answer::Done, 1_500);
    assert_eq!(run.next(2_000), Next::WaitUntil(2_100));
    // Then the busy job first, then the rest.
    assert_eq!(fill(&mut run, 2_100), ["1", "4"]);
    // Without Retry-After: 1 s, then 2 s for the next busy answer in a row.
    run.answered("2", busy(None), 3_000);
    assert_eq!(run.next(3_000), Next::WaitUntil(4_000));
    run.answered("3", busy(None), 3_000);
    assert_eq!(run.next(3_000), Next::WaitUntil(5_000));
}

#[test]
fn a_job_the_server_keeps_refusing_as_busy_fails_after_three_attempts_and_retry_sends_only_failures(
) {
    let mut run = Run::new(BulkKind::Delete { force: true }, ids(0..2));
    let mut now = 0;
    for attempt in 1..=ATTEMPTS {
        let sent = fill(&mut run, now);
        assert!(sent.contains(&"0".to_string()), "attempt {attempt}");
        run.answered(
            "0",
            Answer::Busy {
                message: "Service unavailable".into(),
                retry_after_ms: Some(10),
            },
            now,
        );
        if attempt == 1 {
            run.answered("1", Answer::Done, now);
        }
        now += 10;
    }
    assert_eq!(run.next(now), Next::Finished);
    assert_eq!(run.summary(), "1 deleted · 1 failed");
    let retry = run.retry_failed();
    assert_eq!(retry.total(), 1);
    assert_eq!(retry.kind, BulkKind::Delete { force: true });
    let mut retry = retry;
    assert_eq!(fill(&mut retry, now), ["0"]);
}

#[test]
fn a_server_that_paces_the_run_fails_no_job_while_others_are_done_meanwhile() {
    // A rate limiter: every round, the others go through and the first one is told to wait.
    let mut run = Run::new(BulkKind::Delete { force: false }, ids(0..40));
    let busy = || Answer::Busy {
        message: "Too many requests".into(),
        retry_after_ms: Some(10),
    };
    let mut now = 0;
    for round in 1..=ATTEMPTS + 2 {
        let sent = fill(&mut run, now);
        assert_eq!(sent[0], "0", "round {round}: the waiting job goes first");
        run.answered(&sent[1], Answer::Done, now);
        run.answered("0", busy(), now);
        for job in &sent[2..] {
            run.answered(job, Answer::Done, now);
        }
        now += 10;
    }
    assert_eq!(run.outcome("0"), None, "still to be sent");
    // Then the server keeps refusing it while nothing else is done: it fails after ATTEMPTS.
    for _ in 1..=ATTEMPTS {
        let sent = fill(&mut run, now);
        for job in &sent {
            run.answered(job, busy(), now);
        }
        now += 10;
    }
    assert_eq!(
        run.outcome("0"),
        Some(&Outcome::Failed("Too many requests".into()))
    );
}

#[test]
fn a_row_shows_its_request_in_flight_then_only_a_failure() {
    let mut run = Run::new(BulkKind::Delete { force: true }, ids(0..3));
    assert_eq!(run.row_step("0"), None);
    fill(&mut run, 0);
    assert_eq!(run.row_step("0"), Some("Deleting…"));
    run.answered("0", Answer::Done, 0);
    run.answered("1", Answer::Failed("Server error (500).".into()), 0);
    assert_eq!(run.row_step("0"), None);
    assert_eq!(run.row_step("1"), Some("Failed"));
    let mut cancel = Run::new(BulkKind::Cancel, ids(0..1));
    fill(&mut cancel, 0);
    assert_eq!(cancel.row_step("0"), Some("Cancelling…"));
}

#[test]
fn a_job_is_sent_only_once_claimed_and_one_another_view_holds_is_handled_elsewhere() {
    let mut run = Run::new(BulkKind::Delete { force: false }, ids(0..3));
    let Next::Claim(batch) = run.next(0) else {
        panic!("the first step is the claims");
    };
    assert_eq!(batch, ids(0..3));
    // Nothing goes while the claims are on their way.
    assert_eq!(run.next(0), Next::Answers);
    assert!(run.claimed(batch, &[true, false, true], 0).is_empty());
    assert_eq!(fill(&mut run, 0), ["0", "2"]);
    assert_eq!(run.outcome("1"), Some(&Outcome::Elsewhere));
    run.answered("0", Answer::Done, 0);
    run.answered("2", Answer::Done, 0);
    assert_eq!(run.next(0), Next::Finished);
    assert_eq!(run.summary(), "2 deleted · 1 handled elsewhere");
}

#[test]
fn claims_granted_after_a_stop_are_given_back() {
    let mut run = Run::new(BulkKind::Cancel, ids(0..3));
    let Next::Claim(batch) = run.next(0) else {
        panic!("the first step is the claims");
    };
    run.stop();
    let unused = run.claimed(batch, &[true, true, true], 0);
    assert_eq!(unused, ids(0..3));
    assert_eq!(run.next(0), Next::Finished);
    assert_eq!(run.summary(), "0 cancelled · 3 not started");
}
