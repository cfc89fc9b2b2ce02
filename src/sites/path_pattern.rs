//! URL path patterns (issue #8): a site profile's list and job pages and the paths of a row's
//! links, with `*`/`**` wildcards and the `:id` that captures a job id. Pure and natively tested.

use crate::api::endpoint::decode_path_segment;

/// A URL path pattern: literal segments, `*` for any one segment, at most one `**` for any number
/// of segments (none included: apps mounted under a prefix, `/t/acme/jobs/:id`), and at most one
/// `:id` that captures the job id (percent-decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern {
    source: String,
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Any,
    /// `**`: zero or more segments.
    AnyDepth,
    Id,
}

impl PathPattern {
    /// Parses `/jobs/:id` or `/runs/:id/overview`; says what is wrong otherwise.
    pub fn parse(pattern: &str) -> Result<PathPattern, String> {
        let Some(rest) = pattern.strip_prefix('/') else {
            return Err(format!("Pattern `{pattern}` must start with /."));
        };
        let mut segments = Vec::new();
        let rest = rest.trim_end_matches('/');
        for segment in rest.split('/').filter(|_| !rest.is_empty()) {
            segments.push(match segment {
                ":id" if segments.contains(&Segment::Id) => {
                    return Err(format!("Pattern `{pattern}` has :id more than once."))
                }
                ":id" => Segment::Id,
                "*" => Segment::Any,
                "**" if segments.contains(&Segment::AnyDepth) => {
                    return Err(format!("Pattern `{pattern}` has ** more than once."))
                }
                "**" => Segment::AnyDepth,
                "" => return Err(format!("Pattern `{pattern}` has an empty segment (//).")),
                other if other.starts_with(':') => {
                    return Err(format!(
                        "Pattern `{pattern}`: `{other}` is not a placeholder; only :id is."
                    ))
                }
                other if other.contains(['?', '#']) => {
                    return Err(format!(
                        "Pattern `{pattern}` must be a path only, without ? or #."
                    ))
                }
                other => Segment::Literal(other.to_string()),
            });
        }
        Ok(PathPattern {
            source: pattern.to_string(),
            segments,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub fn captures_id(&self) -> bool {
        self.segments.contains(&Segment::Id)
    }

    /// Whether `path` (a URL's path, percent-encoded as `location.pathname` gives it) matches.
    pub fn matches(&self, path: &str) -> bool {
        self.capture(path).is_some()
    }

    /// Matches `path`; `Some(Some(id))` with the decoded id when the pattern captures one. An id
    /// that could never be requested (`.`, `..`, empty, malformed escapes) does not match.
    pub fn capture(&self, path: &str) -> Option<Option<String>> {
        self.walk(path, |_| {})
    }

    /// The path segments `path` gives this pattern's `*` and `**` (a `**`'s joined by `/`), in
    /// order, as written in the path; `None` when it does not match.
    pub fn wildcards(&self, path: &str) -> Option<Vec<String>> {
        let mut found = Vec::new();
        self.walk(path, |parts| found.push(parts.join("/")))?;
        Some(found)
    }

    /// Matches `path` segment by segment: the decoded id, if any, and each `*` and `**`'s parts
    /// handed to `wildcard` in order (nothing is allocated for them unless it keeps them).
    fn walk(&self, path: &str, mut wildcard: impl FnMut(&[&str])) -> Option<Option<String>> {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let rest = path.strip_prefix('/')?.trim_end_matches('/');
        let parts: Vec<&str> = rest.split('/').filter(|_| !rest.is_empty()).collect();
        // A `**` takes whatever the segments around it leave; without one, lengths must agree.
        let any_depth = self.segments.contains(&Segment::AnyDepth);
        let fixed = self.segments.len() - usize::from(any_depth);
        if parts.len() < fixed || (!any_depth && parts.len() != fixed) {
            return None;
        }
        let spread = parts.len() - fixed;
        let mut at = 0;
        let mut id = None;
        for segment in &self.segments {
            if *segment == Segment::AnyDepth {
                wildcard(&parts[at..at + spread]);
                at += spread;
                continue;
            }
            let part = *parts.get(at)?;
            at += 1;
            match segment {
                Segment::Literal(literal) if literal == part => {}
                Segment::Literal(_) => return None,
                Segment::Any if !part.is_empty() => wildcard(&[part]),
                Segment::Any => return None,
                Segment::AnyDepth => {}
                Segment::Id => {
                    let decoded = decode_path_segment(part)?;
                    if decoded.is_empty() || decoded == "." || decoded == ".." {
                        return None;
                    }
                    id = Some(decoded);
                }
            }
        }
        Some(id)
    }

    /// The path this pattern names with its `*` and `**` filled by `wildcards`, in order; `None`
    /// when it captures an id or the count differs.
    pub fn fill(&self, wildcards: &[String]) -> Option<String> {
        self.fill_with(wildcards, None)
    }

    /// The path this pattern names, its `*` and `**` filled by `wildcards` in order and its `:id`
    /// by `id` (a path segment, already encoded); `None` when the counts differ or an `:id` has
    /// no value.
    pub fn fill_with(&self, wildcards: &[String], id: Option<&str>) -> Option<String> {
        let mut wildcards = wildcards.iter();
        let mut path = String::new();
        for segment in &self.segments {
            let part = match segment {
                Segment::Literal(literal) => literal.as_str(),
                Segment::Any | Segment::AnyDepth => wildcards.next()?.as_str(),
                Segment::Id => id?,
            };
            if !part.is_empty() {
                path.push('/');
                path.push_str(part);
            }
        }
        if wildcards.next().is_some() {
            return None;
        }
        Some(if path.is_empty() { "/".into() } else { path })
    }
}

/// A URL's path (or the path itself), without its query and fragment (`/` when it has none).
pub fn path_of(url: &str) -> String {
    let rest = super::scan::split_once(url, "://")
        .map(|(_, rest)| rest.find('/').map_or("/", |at| &rest[at..]))
        .unwrap_or(url);
    rest.split(['?', '#']).next().unwrap_or("/").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(text: &str) -> PathPattern {
        PathPattern::parse(text).unwrap()
    }

    #[test]
    fn patterns_parse_or_say_why_not() {
        let table = [
            ("jobs/:id", "Pattern `jobs/:id` must start with /."),
            (
                "/jobs/:id/:id",
                "Pattern `/jobs/:id/:id` has :id more than once.",
            ),
            (
                "/jobs//:id",
                "Pattern `/jobs//:id` has an empty segment (//).",
            ),
            (
                "/jobs/:job",
                "Pattern `/jobs/:job`: `:job` is not a placeholder; only :id is.",
            ),
            (
                "/jobs?x=1",
                "Pattern `/jobs?x=1` must be a path only, without ? or #.",
            ),
        ];
        for (text, message) in table {
            assert_eq!(PathPattern::parse(text).unwrap_err(), message, "{text}");
        }
        assert!(pattern("/runs/:id/overview").captures_id());
        assert!(!pattern("/jobs").captures_id());
        assert!(!pattern("/").captures_id());
        assert_eq!(pattern("/").capture("/"), Some(None));
        assert_eq!(pattern("/").capture("/jobs"), None);
    }

    #[test]
    fn detail_patterns_capture_decoded_ids() {
        let detail = pattern("/jobs/:id");
        let table: [(&str, Option<Option<&str>>); 12] = [
            ("/jobs/abc-123", Some(Some("abc-123"))),
            ("/jobs/abc-123/", Some(Some("abc-123"))),
            ("/jobs/abc?tab=logs#top", Some(Some("abc"))),
            ("/jobs/a%2Fb", Some(Some("a/b"))),
            ("/jobs/%E2%98%83", Some(Some("☃"))),
            ("/jobs/caf%C3%A9", Some(Some("café"))),
            ("/jobs/%2E%2E", None),
            ("/jobs/..", None),
            ("/jobs/%ZZ", None),
            ("/jobs", None),
            ("/jobs/a/b", None),
            ("/other/abc", None),
        ];
        for (path, expected) in table {
            assert_eq!(
                detail.capture(path),
                expected.map(|id| id.map(str::to_string)),
                "{path}"
            );
        }
        let nested = pattern("/runs/:id/overview");
        assert_eq!(
            nested.capture("/runs/r%201/overview"),
            Some(Some("r 1".into()))
        );
        assert_eq!(nested.capture("/runs/r1/logs"), None);
        let any = pattern("/t/*/jobs/:id");
        assert_eq!(any.capture("/t/acme/jobs/7"), Some(Some("7".into())));
        assert_eq!(any.capture("/t//jobs/7"), None);
        assert!(pattern("/jobs").matches("/jobs/"));
        let deep = pattern("/**/jobs/:id");
        assert_eq!(deep.capture("/jobs/7"), Some(Some("7".into())));
        assert_eq!(deep.capture("/a/b/jobs/7"), Some(Some("7".into())));
        assert_eq!(deep.capture("/a/jobs"), None);
        assert_eq!(deep.capture("/jobs/7/x"), None);
        assert_eq!(
            PathPattern::parse("/**/a/**").unwrap_err(),
            "Pattern `/**/a/**` has ** more than once."
        );
        assert_eq!(pattern("/jobs").capture("/jobs"), Some(None));
    }
}
