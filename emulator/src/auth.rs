//! Optional auth for the API: with a token configured, requests without it get 401; a read-only
//! token may read but gets 403 on cancel, delete and create. With a session cookie configured
//! (an app whose pages sign the user in with a cookie), the pages set it and the API accepts a
//! request that carries it, as a cookie-session app's API does.

use crate::error::Failure;
use crate::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthConfig {
    /// May read and write. `None` with no read token: the API is open.
    pub full_token: Option<String>,
    /// May only read.
    pub read_token: Option<String>,
    /// The value of the `session` cookie the pages set; a request carrying it may read and write.
    pub session: Option<String>,
}

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "session";

/// Who is calling, as the audit table records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: &'static str,
    pub can_write: bool,
}

pub const READ_ONLY: &str = "This token is read-only: it cannot cancel, delete or create jobs.";

impl AuthConfig {
    pub fn is_open(&self) -> bool {
        self.full_token.is_none() && self.read_token.is_none() && self.session.is_none()
    }

    /// Whether the `Cookie` header carries the session cookie.
    pub fn has_session(&self, cookies: Option<&str>) -> bool {
        let (Some(session), Some(cookies)) = (&self.session, cookies) else {
            return false;
        };
        cookies.split(';').any(|pair| {
            pair.trim().split_once('=').is_some_and(|(name, value)| {
                name == SESSION_COOKIE && constant_time_eq(value.as_bytes(), session.as_bytes())
            })
        })
    }

    /// Resolves the `Authorization` header value to a caller, or 401.
    pub fn caller(&self, authorization: Option<&str>) -> Result<Caller, Failure> {
        if self.is_open() {
            return Ok(Caller {
                actor: "anonymous",
                can_write: true,
            });
        }
        let presented = authorization
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(Failure::Unauthorized)?;
        let is = |token: &Option<String>| {
            token
                .as_deref()
                .is_some_and(|token| constant_time_eq(token.as_bytes(), presented.as_bytes()))
        };
        if is(&self.full_token) {
            Ok(Caller {
                actor: "full-token",
                can_write: true,
            })
        } else if is(&self.read_token) {
            Ok(Caller {
                actor: "read-token",
                can_write: false,
            })
        } else {
            Err(Failure::Unauthorized)
        }
    }
}

impl Caller {
    pub fn require_write(&self) -> Result<(), Failure> {
        if self.can_write {
            Ok(())
        } else {
            Err(Failure::Forbidden(READ_ONLY))
        }
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

/// Middleware for the pages: with a session configured, every page signs the user in (sets the
/// session cookie), as an app's login would have.
pub async fn sign_in(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    if let Some(session) = &state.auth.session {
        let cookie = format!("{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Lax");
        if let Ok(value) = header::HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Middleware for `/api`: resolves the caller and hands it to the handlers.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, Failure> {
    let authorization = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let cookies = request
        .headers()
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok());
    let caller = if authorization.is_none() && state.auth.has_session(cookies) {
        Caller {
            actor: "session",
            can_write: true,
        }
    } else {
        state.auth.caller(authorization)?
    };
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_recognised_among_others() {
        let auth = AuthConfig {
            session: Some("s1".into()),
            ..AuthConfig::default()
        };
        assert!(!auth.is_open());
        assert!(auth.has_session(Some("theme=dark; session=s1")));
        assert!(auth.has_session(Some("session=s1")));
        for cookies in [
            None,
            Some("session=s2"),
            Some("xsession=s1"),
            Some("session=s1x"),
            Some(""),
        ] {
            assert!(!auth.has_session(cookies), "{cookies:?}");
        }
        assert!(!AuthConfig::default().has_session(Some("session=s1")));
    }

    #[test]
    fn tokens_resolve_to_callers() {
        let auth = AuthConfig {
            full_token: Some("full".into()),
            read_token: Some("ro".into()),
            session: None,
        };
        assert_eq!(
            auth.caller(Some("Bearer full")).unwrap(),
            Caller {
                actor: "full-token",
                can_write: true
            }
        );
        assert_eq!(
            auth.caller(Some("Bearer ro")).unwrap(),
            Caller {
                actor: "read-token",
                can_write: false
            }
        );
        for header in [
            None,
            Some("Bearer"),
            Some("Bearer fulll"),
            Some("Basic full"),
            Some("full"),
        ] {
            assert!(
                matches!(auth.caller(header), Err(Failure::Unauthorized)),
                "{header:?}"
            );
        }
        assert!(AuthConfig::default().caller(None).unwrap().can_write);
    }
}
