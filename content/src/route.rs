//! Which of the app's pages a URL path is: the job list, one job's page, or neither — read from
//! the site profile's list and detail patterns (`job_actions::sites::profile`). Pure, so it is tested
//! natively. The profile is chosen once per page load (`lib.rs`) from the user's book in
//! extension storage: the first that covers the page's origin, else the built-in one.

use job_actions::sites::profile::SiteProfile;
use job_actions::sites::profiles::StoredProfile;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    List,
    Detail { job_id: String },
    Other,
}

thread_local! {
    static ACTIVE: RefCell<Rc<StoredProfile>> = RefCell::new(Rc::new(StoredProfile {
        profile: job_actions::sites::profiles::built_in(),
        token: None,
    }));
}

/// Makes `stored` the profile of this page (once, before the overlay starts).
pub fn set_active(stored: StoredProfile) {
    ACTIVE.with(|active| *active.borrow_mut() = Rc::new(stored));
}

/// The profile of the app this page belongs to, with its token.
pub fn active() -> Rc<StoredProfile> {
    ACTIVE.with(|active| Rc::clone(&active.borrow()))
}

/// Where the job list lives (the redirect target after a delete), seen from the page at `path`:
/// the list pattern with this page's prefix (`/ops/jobs/7` → `/ops/jobs`); the site's root when
/// the profile's list pattern cannot be filled from this page.
pub fn list_path(path: &str) -> String {
    active()
        .profile
        .list_path_from(path)
        .unwrap_or_else(|| "/".into())
}

/// The route of `path` under the active profile.
pub fn route_of(path: &str) -> Route {
    route_in(&active().profile, path)
}

/// `profile`'s list pattern is the list; its detail pattern a job's page (the id captured and
/// percent-decoded; ids that could never be requested, like `..`, are no job's page).
pub fn route_in(profile: &SiteProfile, path: &str) -> Route {
    if profile.list_page.matches(path) {
        return Route::List;
    }
    match profile.detail_page.capture(path) {
        Some(Some(job_id)) => Route::Detail { job_id },
        _ => Route::Other,
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
        // The built-in conventions find job apps mounted under a prefix too.
        check("/spa/jobs", Route::List);
        check("/ops/jobs/j%201", detail("j 1"));
        check("/spa/runs/7/overview", Route::Other);
        check("/jobs/%2E%2E", Route::Other);
        check("/jobs/abc?tab=1", detail("abc"));
    }

    #[test]
    fn another_profile_routes_its_own_urls() {
        let mut profile = job_actions::sites::conventions::profile();
        profile.list_page = job_actions::sites::profile::PathPattern::parse("/spa/runs").unwrap();
        profile.detail_page =
            job_actions::sites::profile::PathPattern::parse("/spa/runs/:id/overview").unwrap();
        assert_eq!(route_in(&profile, "/spa/runs"), Route::List);
        assert_eq!(
            route_in(&profile, "/spa/runs/r%2F1/overview"),
            detail("r/1")
        );
        assert_eq!(route_in(&profile, "/spa/runs/r1"), Route::Other);
        assert_eq!(route_in(&profile, "/jobs"), Route::Other);
    }
}
