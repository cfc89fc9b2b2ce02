//! "Test on this tab" (issue #8): what a probe read on the user's tab ([`ProbeFacts`]) and the
//! verdict on it ([`report`]): how many rows and which job id a profile finds there, or why
//! nothing. Pure; the site-profiles page runs the probe.

use crate::sites::alternatives::{raw_row_id, tried, RowId, RowRule};
use crate::sites::origin::Origin;
use crate::sites::path_pattern::path_of;
use crate::sites::profile::SiteProfile;

/// What a "Test on this tab" probe read from the page (the raw facts; [`report`] judges them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeFacts {
    /// The tab's URL.
    pub url: String,
    /// For each of the profile's row rules, in order.
    pub rows: Vec<RuleFacts>,
    /// For each detail anchor alternative, in order: whether it matches here, or the browser's
    /// refusal of the selector.
    pub anchors: Vec<Result<bool, String>>,
}

/// What one row rule found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFacts {
    /// How many rows matched, or the browser's refusal of the selector.
    pub rows: Result<u32, String>,
    /// Each of the first rows' raw id source (the attribute, every link's href joined by
    /// spaces, or the cell's text), `None` where the row has none.
    pub row_ids: Vec<Option<String>>,
}

/// A probe's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// Whether the overlay would decorate this page with this profile.
    pub works: bool,
    pub summary: String,
    /// The first job id it found (a list row's, or the detail page's).
    pub job_id: Option<String>,
}

/// Judges a probe: how many rows and which job id the profile finds on the tab, or why nothing.
pub fn report(profile: &SiteProfile, facts: &ProbeFacts) -> ProbeReport {
    if !profile.covers(&facts.url) {
        return ProbeReport::fails(format!(
            "This tab ({}) is not on the profile's origins ({}).",
            origin_of(&facts.url),
            profile.origins.join(", ")
        ));
    }
    let path = path_of(&facts.url);
    if let Some(Some(job_id)) = profile.detail_page.capture(&path) {
        return job_page_report(profile, &facts.anchors, job_id);
    }
    if !profile.list_page.matches(&path) {
        return ProbeReport::fails(format!(
            "The path {path} matches neither the list pattern `{}` nor the detail pattern `{}`.",
            profile.list_page.as_str(),
            profile.detail_page.as_str()
        ));
    }
    list_report(profile, &facts.rows)
}

impl ProbeReport {
    fn fails(summary: String) -> ProbeReport {
        ProbeReport {
            works: false,
            summary,
            job_id: None,
        }
    }

    fn works(summary: String, job_id: &str) -> ProbeReport {
        ProbeReport {
            works: true,
            summary,
            job_id: Some(job_id.to_string()),
        }
    }
}

/// On a job's page: the first anchor alternative that matches takes the buttons, or the action
/// bar does; a selector the browser refused fails the test.
fn job_page_report(
    profile: &SiteProfile,
    anchors: &[Result<bool, String>],
    job_id: String,
) -> ProbeReport {
    for (choice, found) in profile.detail_anchor.iter().zip(anchors) {
        match found {
            Ok(true) => {
                return ProbeReport::works(
                    format!(
                        "Job page of {job_id}: the buttons go after `{}`.",
                        choice.selector
                    ),
                    &job_id,
                )
            }
            Ok(false) => {}
            Err(why) => {
                return ProbeReport::fails(format!(
                    "The detail anchor `{}` is refused by the browser: {why}",
                    choice.selector
                ))
            }
        }
    }
    ProbeReport::works(
        format!(
            "Job page of {job_id}: {}; the actions show in the action bar at the bottom of the \
             page.",
            anchor_diagnosis(profile)
        ),
        &job_id,
    )
}

/// On the list: the first row rule whose rows have an id is the page's; otherwise every miss is
/// named.
fn list_report(profile: &SiteProfile, rules: &[RuleFacts]) -> ProbeReport {
    let mut misses = Vec::new();
    for (rule, found) in profile.rows.iter().zip(rules) {
        match rule_verdict(rule, found, profile.rows.len() > 1) {
            RuleVerdict::Decides(report) => return report,
            RuleVerdict::Misses(miss) => misses.push(miss),
        }
    }
    ProbeReport::fails(match misses.as_slice() {
        [only] => format!("The row selector {only} on this page."),
        _ => format!("No row with a job id: {}.", misses.join("; ")),
    })
}

/// What one row rule's findings mean for the test.
enum RuleVerdict {
    /// The test's outcome: rows with ids, or a refused selector, or the one rule's rows without
    /// an id.
    Decides(ProbeReport),
    /// What this rule missed; the next rule is tried.
    Misses(String),
}

/// `several`: whether the profile has other rules (a found rule is then named, and a rule whose
/// rows have no id leaves the decision to the others).
fn rule_verdict(rule: &RowRule, found: &RuleFacts, several: bool) -> RuleVerdict {
    let rows = match &found.rows {
        Ok(0) => return RuleVerdict::Misses(format!("`{}` matches nothing", rule.row)),
        Ok(rows) => *rows,
        Err(why) => {
            return RuleVerdict::Decides(ProbeReport::fails(format!(
                "The row selector `{}` is refused by the browser: {why}",
                rule.row
            )))
        }
    };
    let first_id = found
        .row_ids
        .iter()
        .flatten()
        .find_map(|raw| raw_row_id(&rule.id, raw));
    let plural = if rows == 1 { "row" } else { "rows" };
    match first_id {
        Some(first) => {
            let by = if several {
                format!(" by `{}`", rule.row)
            } else {
                String::new()
            };
            RuleVerdict::Decides(ProbeReport::works(
                format!("{rows} {plural} found{by}; the first is job {first}."),
                &first,
            ))
        }
        None if !several => RuleVerdict::Decides(ProbeReport::fails(format!(
            "{rows} {plural} found, but none has a job id: {}.",
            missing_id(rule)
        ))),
        None => RuleVerdict::Misses(format!(
            "{rows} {plural} `{}` found, but none has a job id: {}",
            rule.row,
            missing_id(rule)
        )),
    }
}

/// Why a job page has no anchored buttons: the alternatives tried (the content script's console
/// line and the probe say the same).
pub fn anchor_diagnosis(profile: &SiteProfile) -> String {
    format!(
        "no element matches the detail anchor (tried {})",
        tried(&profile.detail_anchor)
    )
}

fn missing_id(rule: &RowRule) -> String {
    match &rule.id {
        RowId::Attribute(name) => format!("no row has the attribute `{name}`"),
        RowId::Link { selector, pattern } => format!(
            "no row has a link `{selector}` whose path matches `{}`",
            pattern.as_str()
        ),
        RowId::Text(selector) => format!("no row has a non-empty cell `{selector}`"),
    }
}

fn origin_of(url: &str) -> String {
    Origin::parse(url)
        .map(|origin| match origin.port {
            Some(port) => format!("{}://{}:{port}", origin.scheme, origin.host),
            None => format!("{}://{}", origin.scheme, origin.host),
        })
        .unwrap_or_else(|_| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sites::profile::spa;

    fn facts(
        url: &str,
        rows: Result<u32, String>,
        ids: &[Option<&str>],
        anchor: bool,
    ) -> ProbeFacts {
        ProbeFacts {
            url: url.into(),
            rows: vec![RuleFacts {
                rows,
                row_ids: ids.iter().map(|id| id.map(str::to_string)).collect(),
            }],
            anchors: vec![Ok(anchor)],
        }
    }

    #[test]
    fn probes_say_what_they_found_or_why_not() {
        let profile = spa("http://localhost:8080");
        let list = "http://localhost:8080/spa/runs";
        let found = report(
            &profile,
            &facts(
                list,
                Ok(12),
                &[
                    Some("/spa/runs/r%2F1/overview"),
                    Some("/spa/runs/r2/overview"),
                ],
                false,
            ),
        );
        assert_eq!(found.summary, "12 rows found; the first is job r/1.");
        assert!(found.works);
        assert_eq!(found.job_id.as_deref(), Some("r/1"));
        let absolute = report(
            &profile,
            &facts(
                list,
                Ok(1),
                &[Some("http://localhost:8080/spa/runs/r9/overview?tab=1")],
                false,
            ),
        );
        assert_eq!(absolute.summary, "1 row found; the first is job r9.");
        let cases = [
            (facts(list, Ok(0), &[], false), "The row selector `article.card` matches nothing on this page."),
            (
                facts(list, Ok(3), &[None, Some("/elsewhere/r1")], false),
                "3 rows found, but none has a job id: no row has a link `a.card-link` whose path matches `/spa/runs/:id/overview`.",
            ),
            (
                facts(list, Err("'tr[' is not a valid selector.".into()), &[], false),
                "The row selector `article.card` is refused by the browser: 'tr[' is not a valid selector.",
            ),
            (
                facts("http://localhost:9999/spa/runs", Ok(1), &[], false),
                "This tab (http://localhost:9999) is not on the profile's origins (http://localhost:8080).",
            ),
            (
                facts("http://localhost:8080/settings", Ok(1), &[], false),
                "The path /settings matches neither the list pattern `/spa/runs` nor the detail pattern `/spa/runs/:id/overview`.",
            ),
        ];
        for (facts, expected) in cases {
            let verdict = report(&profile, &facts);
            assert!(!verdict.works, "{expected}");
            assert_eq!(verdict.summary, expected);
        }
        let detail = report(
            &profile,
            &facts(
                "http://localhost:8080/spa/runs/%E2%98%83/overview",
                Ok(0),
                &[],
                true,
            ),
        );
        assert_eq!(
            detail.summary,
            "Job page of ☃: the buttons go after `.run-head .run-name`."
        );
        assert!(detail.works);
        // Issue #19: no anchor is no silence — the action bar takes the buttons.
        let bar = report(
            &profile,
            &facts(
                "http://localhost:8080/spa/runs/r1/overview",
                Ok(0),
                &[],
                false,
            ),
        );
        assert_eq!(
            bar.summary,
            "Job page of r1: no element matches the detail anchor (tried `.run-head .run-name`); \
             the actions show in the action bar at the bottom of the page."
        );
        assert!(bar.works);
    }

    #[test]
    fn the_built_in_rules_are_tried_in_order_and_each_miss_is_named() {
        let mut profile = crate::sites::conventions::profile();
        profile.origins = vec!["http://localhost:3000".into()];
        let rule = |rows: u32, ids: &[Option<&str>]| RuleFacts {
            rows: Ok(rows),
            row_ids: ids.iter().map(|id| id.map(str::to_string)).collect(),
        };
        let list = |rows: Vec<RuleFacts>| ProbeFacts {
            url: "http://localhost:3000/ops/jobs".into(),
            rows,
            anchors: Vec::new(),
        };
        let found = report(
            &profile,
            &list(vec![
                rule(0, &[]),
                rule(2, &[None, None]),
                rule(5, &[Some("/help /ops/jobs/j%201"), Some("/ops/jobs/j2")]),
            ]),
        );
        assert_eq!(
            found.summary,
            "5 rows found by `tr, li, article, [role=row]`; the first is job j 1."
        );
        let none = report(
            &profile,
            &list(vec![rule(0, &[]), rule(1, &[None]), rule(0, &[])]),
        );
        assert_eq!(
            none.summary,
            "No row with a job id: `[data-job-id]` matches nothing; 1 row \
             `tr[data-id], li[data-id], article[data-id], [role=row][data-id]` found, but none has \
             a job id: no row has the attribute `data-id`; `tr, li, article, [role=row]` matches \
             nothing."
        );
        let detail = ProbeFacts {
            url: "http://localhost:3000/ops/jobs/9".into(),
            rows: Vec::new(),
            anchors: vec![Ok(false), Ok(false), Ok(true), Ok(true), Ok(true)],
        };
        assert_eq!(
            report(&profile, &detail).summary,
            "Job page of 9: the buttons go after `header h1`."
        );
    }
}
