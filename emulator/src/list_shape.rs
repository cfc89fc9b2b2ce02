//! How `GET /api/jobs` answers (issue #19, "real apps"): `main-api`'s `{"jobs": [...]}` by
//! default, or the shapes other apps' list endpoints use — a bare array, or a page object
//! `{"items" | "data" | "results": [...], "total": N, "next": null}`. Chosen with
//! `--list-shape SHAPE` at start or `POST /_emulator/list-shape {"shape": SHAPE}` at run time.
//! Filtering (`limit`, `phase`) and ETags work the same in every shape. `page_max` makes the list
//! paginated the way many real APIs are (issue #22): at most that many jobs per answer, however
//! many `limit` asks for — so a job older than the first page is not in the list answer.

use crate::error::Failure;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use job_actions::Job;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use std::sync::Mutex;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListShape {
    /// `{"jobs": [...]}`, as `main-api` answers.
    #[default]
    Jobs,
    /// `[...]`.
    Array,
    /// `{"items": [...], "total": N, "next": null}`.
    Items,
    /// `{"data": [...], "total": N, "next": null}`.
    Data,
    /// `{"results": [...], "total": N, "next": null}`.
    Results,
}

impl ListShape {
    pub const ALL: [ListShape; 5] = [
        ListShape::Jobs,
        ListShape::Array,
        ListShape::Items,
        ListShape::Data,
        ListShape::Results,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ListShape::Jobs => "jobs",
            ListShape::Array => "array",
            ListShape::Items => "items",
            ListShape::Data => "data",
            ListShape::Results => "results",
        }
    }

    /// A shape by name, or a message naming the valid ones.
    pub fn parse(text: &str) -> Result<ListShape, String> {
        ListShape::ALL
            .into_iter()
            .find(|shape| shape.name() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = ListShape::ALL.iter().map(|s| s.name()).collect();
                format!("`{text}` is not one of {}", names.join(", "))
            })
    }

    /// The list body in this shape, ready to serialize.
    pub fn body(self, jobs: &[Job]) -> ListBody<'_> {
        ListBody { shape: self, jobs }
    }
}

/// A list answer in a given shape. `total` is the number of jobs in the answer (the emulator has
/// no further pages, so `next` is always `null`).
pub struct ListBody<'a> {
    shape: ListShape,
    jobs: &'a [Job],
}

impl Serialize for ListBody<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let key = match self.shape {
            ListShape::Array => return self.jobs.serialize(serializer),
            ListShape::Jobs => {
                // Byte for byte what `main-api` (and `job_actions::api::model::JobList`) sends.
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("jobs", self.jobs)?;
                return map.end();
            }
            other => other.name(),
        };
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry(key, self.jobs)?;
        map.serialize_entry("total", &self.jobs.len())?;
        map.serialize_entry("next", &Option::<String>::None)?;
        map.end()
    }
}

/// The shape in force and the most jobs one answer carries, changeable while serving.
#[derive(Debug, Default)]
pub struct ListShapeSetting(Mutex<(ListShape, Option<u32>)>);

impl ListShapeSetting {
    pub fn new(shape: ListShape) -> ListShapeSetting {
        ListShapeSetting(Mutex::new((shape, None)))
    }

    pub fn get(&self) -> ListShape {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).0
    }

    /// The most jobs one list answer carries (`None`: as many as `limit` asks for).
    pub fn page_max(&self) -> Option<u32> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).1
    }

    pub fn set(&self, shape: ListShape, page_max: Option<u32>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = (shape, page_max);
    }
}

/// The body of `GET`/`POST /_emulator/list-shape`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ShapeBody {
    pub shape: String,
    /// At most this many jobs per answer; absent or `null`: no cap.
    #[serde(default)]
    pub page_max: Option<u32>,
}

/// `GET /_emulator/list-shape` → `{"shape": "jobs", "page_max": null}`; `POST {"shape": "items"}`
/// switches it (and `"page_max": N` caps each answer; leaving it out removes the cap).
pub fn admin_router() -> Router<AppState> {
    Router::new().route(
        "/_emulator/list-shape",
        get(|State(state): State<AppState>| async move { current(&state) }).post(
            |State(state): State<AppState>, body: Bytes| async move {
                let request: ShapeBody = serde_json::from_slice(&body).map_err(|e| {
                    Failure::BadRequest(format!("expected {{\"shape\": \"...\"}}: {e}"))
                })?;
                let shape = ListShape::parse(&request.shape)
                    .map_err(|message| Failure::BadRequest(format!("shape {message}")))?;
                if request.page_max == Some(0) {
                    return Err(Failure::BadRequest(
                        "page_max must be at least 1 (or null for no cap)".into(),
                    ));
                }
                state.list_shape.set(shape, request.page_max);
                Ok::<_, Failure>(current(&state))
            },
        ),
    )
}

fn current(state: &AppState) -> Json<ShapeBody> {
    Json(ShapeBody {
        shape: state.list_shape.get().name().into(),
        page_max: state.list_shape.page_max(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use job_actions::Phase;

    fn job(id: &str) -> Job {
        Job {
            id: id.into(),
            title: format!("Job {id}"),
            phase: Phase::Matching,
            created_at: None,
            updated_at: None,
            cancelled_at: None,
            cancellation_reason: None,
            cancellation_notes: None,
        }
    }

    #[test]
    fn names_round_trip_and_mistakes_name_the_valid_shapes() {
        for shape in ListShape::ALL {
            assert_eq!(ListShape::parse(shape.name()), Ok(shape));
        }
        assert_eq!(
            ListShape::parse("Items").unwrap_err(),
            "`Items` is not one of jobs, array, items, data, results"
        );
    }

    #[test]
    fn the_default_shape_is_byte_for_byte_main_apis() {
        let jobs = vec![job("a"), job("b")];
        assert_eq!(
            serde_json::to_string(&ListShape::Jobs.body(&jobs)).unwrap(),
            serde_json::to_string(&job_actions::api::model::JobList { jobs: jobs.clone() })
                .unwrap()
        );
        assert_eq!(
            serde_json::to_string(&ListShape::Array.body(&jobs)).unwrap(),
            serde_json::to_string(&jobs).unwrap()
        );
        let paged = serde_json::to_value(ListShape::Results.body(&jobs)).unwrap();
        assert_eq!(paged["results"][1]["id"], "b");
        assert_eq!(
            (paged["total"].as_u64(), paged["next"].is_null()),
            (Some(2), true)
        );
    }
}
