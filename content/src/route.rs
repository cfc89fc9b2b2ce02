//! Which of the app's pages a URL path is: the job list, one job's page, or neither.
//! Pure, so it is tested natively; the site-profile issue makes the patterns configurable.

use job_actions::endpoint::decode_path_segment;

/// Where the job list lives (the redirect target after a delete).
pub const LIST_PATH: &str = "/jobs";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    List,
    Detail { job_id: String },
    Other,
}

/// `/jobs` is the list, `/jobs/{id}` a job's page (the id percent-decoded).
pub fn route_of(path: &str) -> Route {
    let Some(rest) = path.strip_prefix("/jobs") else {
        return Route::Other;
    };
    match rest {
        "" | "/" => Route::List,
        _ => {
            let segment = rest.strip_prefix('/').unwrap_or_default();
            let segment = segment.strip_suffix('/').unwrap_or(segment);
            if segment.is_empty() || segment.contains('/') {
                return Route::Other;
            }
            match decode_path_segment(segment) {
                Some(job_id) if !job_id.is_empty() => Route::Detail { job_id },
                _ => Route::Other,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(path: &str, expected: Route) {
        assert_eq!(route_of(path), expected, "{path}");
    }

    fn detail(job_id: &str) -> Route {
        Route::Detail {
            job_id: job_id.into(),
        }
    }

    #[test]
    fn paths_map_to_routes() {
        check("/jobs", Route::List);
        check("/jobs/", Route::List);
        check("/jobs/3f6c-11aa", detail("3f6c-11aa"));
        check("/jobs/3f6c-11aa/", detail("3f6c-11aa"));
        check("/jobs/a%2Fb", detail("a/b"));
        check("/jobs/%C3%BC", detail("ü"));
        check("/jobs/a/b", Route::Other);
        check("/jobs/%zz", Route::Other);
        check("/jobsx", Route::Other);
        check("/", Route::Other);
        check("/spa/jobs", Route::Other);
    }
}
