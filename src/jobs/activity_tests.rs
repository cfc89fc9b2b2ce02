use super::*;
use crate::api::error::ApiError;
use crate::jobs::dialog::Request;

fn place(title: &str) -> Place {
    Place {
        app: "Ops".into(),
        api_base: "https://ops.example/api".into(),
        title: title.into(),
    }
}

const T0: u64 = 1_765_022_400_000; // 2025-12-06T12:00:00.000Z

fn delete(job: &str, at: u64) -> Entry {
    Entry::requested(place("Nightly"), job, Request::Delete { force: false }, at)
}

#[test]
fn an_entry_is_written_when_asked_answered_and_confirmed_under_one_id() {
    let asked = delete("42", T0);
    assert_eq!(asked.id, format!("{T0}-delete-42"));
    let mut log = Vec::new();
    merge(&mut log, asked.clone());
    merge(
        &mut log,
        asked.clone().answered(Ok("deleted".into()), T0 + 20),
    );
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0].answer,
        Answer::Accepted {
            at_ms: T0 + 20,
            said: "deleted".into()
        }
    );
    // The deletion check knows the entry as it was asked: what it does not say is kept.
    merge(&mut log, asked.confirm(T0 + 50, GONE_404));
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome(), "accepted");
    assert_eq!(log[0].confirmed.as_ref().unwrap().at_ms, T0 + 50);
}

#[test]
fn a_cancel_is_confirmed_by_its_answer_a_failure_keeps_its_status() {
    let mut cancel = Entry::requested(place("Import"), "7", Request::Cancel, T0);
    cancel.reason = Some("wrong input".into());
    let accepted = cancel.clone().answered(Ok("cancelled".into()), T0 + 9);
    assert_eq!(
        accepted.confirmed,
        Some(Confirmation {
            at_ms: T0 + 9,
            how: "the server accepted the cancel (cancelled)".into()
        })
    );
    let failed = cancel.answered(
        Err(&ApiError::Conflict {
            detail: Some("busy".into()),
        }),
        T0 + 9,
    );
    assert_eq!(failed.outcome(), "failed");
    assert_eq!(failed.answer_parts().1, Some(409));
    assert_eq!(failed.confirmed, None);
}

#[test]
fn the_log_is_newest_first_and_keeps_the_last_500() {
    let mut log = Vec::new();
    for i in 0..(KEEP as u64 + 20) {
        merge(&mut log, delete(&i.to_string(), T0 + i));
    }
    assert_eq!(log.len(), KEEP);
    assert_eq!(log[0].job_id, (KEEP + 19).to_string());
    assert_eq!(log[KEEP - 1].job_id, "20");
    // An entry asked earlier but written late (a slow tab) goes where its time puts it.
    let mut log = vec![delete("b", T0 + 10), delete("a", T0)];
    merge(&mut log, delete("between", T0 + 5));
    let ids: Vec<&str> = log.iter().map(|entry| entry.job_id.as_str()).collect();
    assert_eq!(ids, ["b", "between", "a"]);
}

fn full_entry() -> Entry {
    let mut entry = Entry::requested(
        place("Quarterly, \"final\"\nrun"),
        "j-1",
        Request::Cancel,
        T0,
    );
    entry.reason = Some("=cmd|' /C calc'!A0".into());
    entry.notes = Some("line one\r\nline two".into());
    entry.answered(Ok("cancelled".into()), T0 + 1_250)
}

#[test]
fn the_kept_log_and_the_json_export_read_back_the_same() {
    let entries = vec![
        full_entry(),
        delete("9", T0 - 5)
            .answered(Ok("deleted".into()), T0)
            .confirm(T0 + 3, GONE_404),
        delete("10", T0 - 9).answered(Err(&ApiError::Network("offline".into())), T0 - 8),
        delete("11", T0 - 10),
    ];
    let text = write_log(&entries);
    assert_eq!(read_log(&text), entries);
    assert_eq!(record(Some(&text), delete("12", T0 + 99)), {
        let mut more = entries.clone();
        more.insert(0, delete("12", T0 + 99));
        write_log(&more)
    });
}

#[test]
fn an_unreadable_log_or_entry_is_left_out_not_fatal() {
    assert_eq!(read_log("not json"), vec![]);
    assert_eq!(read_log("{}"), vec![]);
    let good = entry_json(&delete("1", T0));
    let text = format!("[{{\"id\":3}},{good},{{\"outcome\":\"accepted\"}}]");
    assert_eq!(read_log(&text), vec![delete("1", T0)]);
    assert_eq!(
        record(Some("garbage"), delete("2", T0)),
        write_log(&[delete("2", T0)])
    );
}

/// A small RFC 4180 reader, to check the export reads back.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn the_csv_export_reads_back_to_the_same_entries_and_defuses_formulas() {
    let entry = full_entry();
    let rows = parse_csv(&to_csv(&[entry.clone(), delete("2", T0 - 1)]));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], CSV_COLUMNS);
    let row = &rows[1];
    let column = |name: &str| row[CSV_COLUMNS.iter().position(|c| *c == name).unwrap()].as_str();
    assert_eq!(column("requested_at"), "2025-12-06T12:00:00.000Z");
    assert_eq!(column("title"), entry.title);
    assert_eq!(column("notes"), "line one\r\nline two");
    // A reason a spreadsheet would run is written as text.
    assert_eq!(column("reason"), "'=cmd|' /C calc'!A0");
    assert_eq!(column("answered_at"), "2025-12-06T12:00:01.250Z");
    assert_eq!(column("server_answer"), "cancelled");
    assert_eq!(column("outcome"), "accepted");
    assert_eq!(rows[2][CSV_COLUMNS.len() - 1], "");
}

#[test]
fn a_receipt_is_one_line_with_what_where_when_and_the_answer() {
    assert_eq!(
        full_entry().receipt(),
        "Cancel job \"Quarterly, \"final\" run\" (id j-1) in Ops (https://ops.example/api) · \
         requested 2025-12-06T12:00:00.000Z · accepted 2025-12-06T12:00:01.250Z (cancelled) · \
         confirmed 2025-12-06T12:00:01.250Z: the server accepted the cancel (cancelled) · \
         reason: \"=cmd|' /C calc'!A0\" · notes: \"line one line two\""
    );
    let gone = delete("9", T0)
        .answered(Ok("deleted".into()), T0 + 1)
        .confirm(T0 + 2, GONE_404)
        .receipt();
    assert!(gone.ends_with("confirmed 2025-12-06T12:00:00.002Z: a read of the job answered 404"));
    assert!(delete("9", T0).receipt().ends_with("· no answer yet"));
}

#[test]
fn a_burst_folded_in_one_write_is_the_same_log_as_one_write_each() {
    let asked: Vec<Entry> = (0..6).map(|n| delete(&n.to_string(), T0 + n)).collect();
    let mut burst: Vec<Entry> = Vec::new();
    for entry in &asked {
        burst.push(entry.clone());
        burst.push(entry.clone().answered(Ok("deleted".into()), T0 + 100));
    }
    let one_each = burst.iter().fold(String::new(), |kept, entry| {
        record(Some(&kept), entry.clone())
    });
    let at_once = record_all(Some("[]"), burst);
    assert_eq!(at_once, one_each);
    assert_eq!(read_log(&at_once).len(), 6);
}
