//! "Enable on this site" (issue #19): from what a probe read on the user's tab and what the API
//! answered, a profile for the app — rows and where their ids are, the job pages' pattern (from the
//! row links, or the tab's own URL), the list page, and the API base — plus what was found and
//! what could not be, in sentences. Pure: the popup runs the probe and the API requests.

use crate::api::endpoint::decode_path_segment;
use crate::sites::conventions;
use crate::sites::origin::Origin;
use crate::sites::profile::{PathPattern, RowId, RowRule, SiteProfile};
use crate::sites::profiles::{path_of, raw_row_id, RuleFacts};

/// What the probe read on the tab.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PageFacts {
    /// The tab's URL.
    pub url: String,
    /// The paths of the page's same-origin links (as `pathname` gives them).
    pub links: Vec<String>,
    /// URLs the page itself fetched (its fetch and XHR resource entries).
    pub requests: Vec<String>,
    /// For each of [`row_candidates`], in order: what it found. A link rule's ids are every link
    /// href of the row, space-separated.
    pub rows: Vec<RuleFacts>,
}

/// The API that answered a job list, and the ids in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFound {
    /// The absolute base (`…/api`) whose `/jobs` answered.
    pub base: String,
    pub job_ids: Vec<String>,
}

/// A detected profile and what the detection is sure of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub profile: SiteProfile,
    /// What was found, one phrase each.
    pub found: Vec<String>,
    /// What could not be found, one sentence each; empty when the profile can be saved as it is.
    pub missing: Vec<String>,
}

impl Detection {
    /// "24 rows, ids from `data-job-id`; job pages `/jobs/:id`; API … answered with 24 jobs."
    pub fn summary(&self) -> String {
        let mut text = self.found.join("; ");
        if !text.is_empty() {
            text.push('.');
        }
        for missing in &self.missing {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(missing);
        }
        text
    }
}

/// The row rules the probe tries: the conventions' (a link rule's pattern is decided later).
pub fn row_candidates() -> Vec<RowRule> {
    conventions::profile().rows
}

/// The API bases to try, in order: the page's origin + `/api`, then the bases of the job lists
/// the page itself fetched (`…/jobs` and `…/jobs?…`), without repeats.
pub fn api_candidates(facts: &PageFacts) -> Vec<String> {
    let mut bases = Vec::new();
    if let Ok(origin) = Origin::parse(&facts.url) {
        bases.push(format!("{}/api", origin.serialize()));
    }
    for url in &facts.requests {
        let path_end = url.find(['?', '#']).unwrap_or(url.len());
        let Some(base) = url[..path_end].trim_end_matches('/').strip_suffix("/jobs") else {
            continue;
        };
        if Origin::parse(base).is_ok() && !bases.iter().any(|known| known == base) {
            bases.push(base.to_string());
        }
    }
    bases
}

/// The profile for the tab's app. `api`: the first candidate that answered; `tried`: every
/// candidate tried, for the message when none did.
pub fn detect(facts: &PageFacts, api: Option<&ApiFound>, tried: &[String]) -> Detection {
    let page_origin = Origin::parse(&facts.url)
        .map(|origin| origin.serialize())
        .unwrap_or_default();
    let mut detection = Detection {
        profile: conventions::profile(),
        found: Vec::new(),
        missing: Vec::new(),
    };
    detection.profile.name = super::scan::split_once(&page_origin, "://")
        .map_or(page_origin.as_str(), |(_, host)| host)
        .to_string();
    detection.profile.origins = vec![page_origin.clone()];
    let known: &[String] = api.map_or(&[], |api| &api.job_ids);
    let page_path = path_of(&facts.url);
    let has_job_pages = detection.job_pages(facts, &page_path, known);
    let rows_found = useful_rule(&facts.rows, &detection.profile.detail_page, known);
    let on_a_job_page = detection
        .profile
        .detail_page
        .capture(&page_path)
        .flatten()
        .is_some();
    detection.rows(rows_found.as_ref(), &page_path, on_a_job_page);
    if !has_job_pages {
        detection.missing.push(format!(
            "No links to job pages were found; the job page pattern stays `{}`.",
            detection.profile.detail_page.as_str()
        ));
    } else if rows_found.is_none() || on_a_job_page {
        detection.list_from_job_pages();
    }
    detection.api(api, tried, &page_origin);
    detection
}

impl Detection {
    /// Job pages: a template of the page's links (or of its own URL) with an id in one segment;
    /// `false` when there is none (the conventions' pattern stays).
    fn job_pages(&mut self, facts: &PageFacts, page_path: &str, known: &[String]) -> bool {
        let mut paths: Vec<&str> = facts.links.iter().map(String::as_str).collect();
        paths.push(page_path);
        let Some(detail) = detail_template(&paths, known) else {
            return false;
        };
        self.found.push(format!("job pages `{}`", detail.as_str()));
        self.profile.detail_page = detail;
        true
    }

    /// The rows: the rule that found them, and the list where they are (this page); without
    /// one, every candidate stays.
    fn rows(&mut self, rows_found: Option<&(RowRule, u32)>, page_path: &str, on_a_job_page: bool) {
        let detail_pattern = &self.profile.detail_page;
        let Some((rule, count)) = rows_found else {
            self.profile.rows = row_candidates()
                .iter()
                .map(|rule| with_pattern(rule, detail_pattern))
                .collect();
            if !on_a_job_page {
                self.missing.push(
                    "No list rows with job ids were found on this page; open the job list and \
                     enable again, or name the rows in the editor."
                        .into(),
                );
            }
            return;
        };
        let source = match &rule.id {
            RowId::Attribute(name) => format!("ids from `{name}`"),
            RowId::Link { .. } => "ids from their links".to_string(),
            RowId::Text(selector) => format!("ids from `{selector}`"),
        };
        let plural = if *count == 1 { "row" } else { "rows" };
        self.found
            .insert(0, format!("{count} {plural} `{}`, {source}", rule.row));
        self.profile.rows = vec![rule.clone()];
        // The list is where the rows are: this page.
        if let Ok(list) = PathPattern::parse(page_path) {
            if !list.captures_id() && !on_a_job_page {
                self.found.push(format!("the job list `{}`", list.as_str()));
                self.profile.list_page = list;
            }
        }
    }

    /// The list guessed from the job pages: `/ops/jobs/:id` → `/ops/jobs`.
    fn list_from_job_pages(&mut self) {
        if let Some(list) = list_from_detail(&self.profile.detail_page) {
            self.found.push(format!(
                "the job list `{}` (from the job pages)",
                list.as_str()
            ));
            self.profile.list_page = list;
        }
    }

    /// The API: the page's own /api unless another base answered.
    fn api(&mut self, api: Option<&ApiFound>, tried: &[String], page_origin: &str) {
        let Some(api) = api else {
            self.missing.push(format!(
                "No job list API answered (tried {}); write its base in the editor.",
                tried
                    .iter()
                    .map(|base| format!("`{base}/jobs`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            return;
        };
        let plural = if api.job_ids.len() == 1 {
            "job"
        } else {
            "jobs"
        };
        self.found.push(format!(
            "API `{}` answered with {} {plural}",
            api.base,
            api.job_ids.len()
        ));
        self.profile.api_base = if api.base == format!("{page_origin}/api") {
            None
        } else {
            match api.base.strip_prefix(page_origin) {
                Some(path) if path.starts_with('/') => Some(path.to_string()),
                _ => Some(api.base.clone()),
            }
        };
    }
}

/// The first candidate rule whose rows have ids (known to the API, when it answered), with the
/// detected job pages' pattern, and how many rows it found.
fn useful_rule(
    found: &[RuleFacts],
    detail_pattern: &PathPattern,
    known: &[String],
) -> Option<(RowRule, u32)> {
    for (rule, facts) in row_candidates().iter().zip(found) {
        let rule = with_pattern(rule, detail_pattern);
        let ids: Vec<String> = facts
            .row_ids
            .iter()
            .flatten()
            .filter_map(|raw| raw_row_id(&rule.id, raw))
            .collect();
        let useful = if known.is_empty() {
            !ids.is_empty()
        } else {
            ids.iter().any(|id| known.contains(id))
        };
        if useful {
            return Some((rule, facts.rows.clone().unwrap_or(0)));
        }
    }
    None
}

/// A link rule's pattern is the detected job pages'; other rules as they are.
fn with_pattern(rule: &RowRule, detail: &PathPattern) -> RowRule {
    let mut rule = rule.clone();
    if let RowId::Link { pattern, .. } = &mut rule.id {
        *pattern = detail.clone();
    }
    rule
}

/// The job pages' pattern: the most common template of `paths` whose one varying segment holds
/// a job id — one the API listed, or else a segment that differs across at least three paths
/// that agree everywhere else.
fn detail_template(paths: &[&str], known: &[String]) -> Option<PathPattern> {
    let mut counts: Vec<(Vec<String>, usize)> = Vec::new();
    let mut add = |template: Vec<String>| match counts.iter_mut().find(|(t, _)| *t == template) {
        Some((_, count)) => *count += 1,
        None => counts.push((template, 1)),
    };
    let split = |path: &str| -> Vec<String> {
        path.trim_matches('/')
            .split('/')
            .filter(|part| !part.is_empty())
            .map(str::to_string)
            .collect()
    };
    if !known.is_empty() {
        for path in paths {
            let parts = split(path);
            if let Some(at) = parts
                .iter()
                .position(|part| decode_path_segment(part).is_some_and(|id| known.contains(&id)))
            {
                let mut template = parts.clone();
                template[at] = ":id".into();
                add(template);
            }
        }
    } else {
        // Without the API's ids: paths of one length, equal but in one segment.
        let all: Vec<Vec<String>> = paths.iter().map(|path| split(path)).collect();
        for parts in &all {
            for at in 0..parts.len() {
                let alike = all
                    .iter()
                    .filter(|other| {
                        other.len() == parts.len()
                            && other
                                .iter()
                                .zip(parts)
                                .enumerate()
                                .all(|(i, (a, b))| i == at || a == b)
                    })
                    .map(|other| &other[at])
                    .collect::<Vec<_>>();
                let mut distinct = alike.clone();
                distinct.sort();
                distinct.dedup();
                if distinct.len() >= 3 {
                    let mut template = parts.clone();
                    template[at] = ":id".into();
                    add(template);
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(template, _)| {
            template
                .iter()
                .all(|part| part == ":id" || !(part.starts_with(':') || part.starts_with('*')))
        })
        .max_by_key(|(_, count)| *count)
        .and_then(|(template, _)| PathPattern::parse(&format!("/{}", template.join("/"))).ok())
}

/// `/ops/jobs/:id/overview` → `/ops/jobs`: the segments before the id.
fn list_from_detail(detail: &PathPattern) -> Option<PathPattern> {
    let source = detail.as_str();
    let before = super::scan::find(source, "/:id").map_or(source, |at| &source[..at]);
    PathPattern::parse(if before.is_empty() { "/" } else { before })
        .ok()
        .filter(|list| !list.captures_id() && !list.as_str().contains('*'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(found: &[(u32, &[&str])]) -> Vec<RuleFacts> {
        found
            .iter()
            .map(|(rows, ids)| RuleFacts {
                rows: Ok(*rows),
                row_ids: ids.iter().map(|id| Some(id.to_string())).collect(),
            })
            .collect()
    }

    fn api(base: &str, ids: &[&str]) -> ApiFound {
        ApiFound {
            base: base.into(),
            job_ids: ids.iter().map(|id| id.to_string()).collect(),
        }
    }

    #[test]
    fn a_table_keyed_by_data_id_under_a_prefix() {
        let facts = PageFacts {
            url: "http://localhost:4100/ops/jobs".into(),
            links: vec![
                "/ops/jobs".into(),
                "/ops/jobs/a1".into(),
                "/ops/jobs/b%202".into(),
                "/ops/help".into(),
            ],
            requests: vec!["http://localhost:4100/api/jobs?limit=100".into()],
            rows: rules(&[(0, &[]), (2, &["a1", "b 2"]), (9, &[])]),
        };
        let found = api("http://localhost:4100/api", &["a1", "b 2", "c"]);
        let detection = detect(&facts, Some(&found), &[]);
        assert_eq!(
            detection.summary(),
            "2 rows `tr[data-id], li[data-id], article[data-id], [role=row][data-id]`, ids from \
             `data-id`; job pages `/ops/jobs/:id`; the job list `/ops/jobs`; API \
             `http://localhost:4100/api` answered with 3 jobs."
        );
        let profile = detection.profile;
        assert_eq!(profile.name, "localhost:4100");
        assert_eq!(profile.origins, ["http://localhost:4100"]);
        assert_eq!(profile.api_base, None);
        assert_eq!(profile.rows.len(), 1);
        assert_eq!(profile.problems(), Vec::<String>::new());
        assert_eq!(api_candidates(&facts), ["http://localhost:4100/api"]);
    }

    #[test]
    fn cards_found_by_their_links_and_an_api_the_page_revealed() {
        let facts = PageFacts {
            url: "https://runs.example/spa/runs".into(),
            links: vec![
                "/spa/runs".into(),
                "/spa/runs/r1/overview".into(),
                "/spa/runs/r2/overview".into(),
            ],
            requests: vec![
                "https://runs.example/static/app.js".into(),
                "https://api.example/v2/jobs?limit=20".into(),
                "https://runs.example/backend/jobs".into(),
            ],
            rows: rules(&[
                (0, &[]),
                (0, &[]),
                (
                    2,
                    &["/spa/runs/r1/overview /elsewhere", "/spa/runs/r2/overview"],
                ),
            ]),
        };
        assert_eq!(
            api_candidates(&facts),
            [
                "https://runs.example/api",
                "https://api.example/v2",
                "https://runs.example/backend"
            ]
        );
        let detection = detect(
            &facts,
            Some(&api("https://runs.example/backend", &["r1", "r2"])),
            &[],
        );
        assert_eq!(detection.missing, Vec::<String>::new());
        let profile = &detection.profile;
        assert_eq!(profile.detail_page.as_str(), "/spa/runs/:id/overview");
        assert_eq!(profile.list_page.as_str(), "/spa/runs");
        assert_eq!(profile.api_base.as_deref(), Some("/backend"));
        assert_eq!(
            profile.rows[0].id,
            RowId::Link {
                selector: "a[href]".into(),
                pattern: PathPattern::parse("/spa/runs/:id/overview").unwrap()
            }
        );
        let other = detect(&facts, Some(&api("https://api.example/v2", &["r1"])), &[]);
        assert_eq!(
            other.profile.api_base.as_deref(),
            Some("https://api.example/v2")
        );
    }

    #[test]
    fn on_a_job_page_the_url_gives_the_pattern_and_the_list() {
        let facts = PageFacts {
            url: "http://127.0.0.1:9/t/acme/runs/j-7?tab=log".into(),
            links: vec!["/t/acme/runs".into()],
            requests: Vec::new(),
            rows: rules(&[(0, &[]), (0, &[]), (0, &[])]),
        };
        let detection = detect(&facts, Some(&api("http://127.0.0.1:9/api", &["j-7"])), &[]);
        assert_eq!(
            detection.summary(),
            "job pages `/t/acme/runs/:id`; the job list `/t/acme/runs` (from the job pages); API \
             `http://127.0.0.1:9/api` answered with 1 job."
        );
        assert_eq!(detection.profile.problems(), Vec::<String>::new());
    }

    #[test]
    fn what_cannot_be_found_is_said() {
        let facts = PageFacts {
            url: "https://intranet.example/dashboard".into(),
            links: vec!["/dashboard".into(), "/settings".into()],
            requests: Vec::new(),
            rows: rules(&[(0, &[]), (0, &[]), (4, &["/settings"])]),
        };
        let tried = api_candidates(&facts);
        let detection = detect(&facts, None, &tried);
        assert_eq!(
            detection.missing,
            [
                "No list rows with job ids were found on this page; open the job list and enable \
                 again, or name the rows in the editor.",
                "No links to job pages were found; the job page pattern stays `/**/jobs/:id`.",
                "No job list API answered (tried `https://intranet.example/api/jobs`); write its \
                 base in the editor.",
            ]
        );
        // Without the API's ids, a segment that varies across three links still gives the pattern.
        let facts = PageFacts {
            url: "https://intranet.example/builds".into(),
            links: ["/builds/x1", "/builds/x2", "/builds/x3", "/help/a"]
                .map(String::from)
                .to_vec(),
            ..PageFacts::default()
        };
        let detection = detect(&facts, None, &[]);
        assert_eq!(detection.profile.detail_page.as_str(), "/builds/:id");
    }
}
