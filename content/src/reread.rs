//! The acting tab's own re-read (PRD §5.1 step 4): right after an action, and after a request
//! that timed out (the cancel may have happened), the route's job or list is read once, now,
//! instead of waiting for the background's next poll. The answer goes through the same merge as
//! the background's news (`sync::apply_*`).

use crate::overlay::Overlay;
use crate::route::Route;
use crate::sync;
use job_actions::live::sync::list_query;
use job_actions::{ApiError, Fetched};
use std::rc::Rc;

pub async fn reread(overlay: Rc<Overlay>) {
    let as_of = overlay.tick();
    match &overlay.route {
        Route::List => {
            if let Ok(Fetched::Fresh { value, .. }) =
                overlay.client.list_jobs(&list_query(), None).await
            {
                if overlay.is_current() {
                    sync::apply_jobs(&overlay, value, as_of);
                }
            }
        }
        Route::Detail { job_id } => {
            let result = overlay.client.get_job(job_id, None).await;
            if !overlay.is_current() {
                return;
            }
            match result {
                Ok(Fetched::Fresh { value, .. }) => sync::apply_jobs(&overlay, vec![value], as_of),
                Ok(Fetched::NotModified) => {}
                Err(ApiError::NotFound) => {
                    sync::apply_gone(&overlay, std::slice::from_ref(job_id), as_of)
                }
                Err(ApiError::Decode(why)) => sync::apply_unreadable(&overlay, job_id, &why),
                Err(_) => {}
            }
        }
        Route::Other => {}
    }
}
