//! Forms that change anything must come from a console page of this server, opened in this
//! session: the browser says where a post comes from (`Origin`, `Sec-Fetch-Site`), and every
//! form carries the session's form token in a hidden field (the synchronizer token pattern).
//! Together with the SameSite=Strict cookie, a page elsewhere cannot post on staff's behalf.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::HeaderMap;
use axum::http::header::{HOST, ORIGIN};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::console::error::ConsoleError;
use crate::state::AppState;
use jiayuan_community::kiosks::constant_time_eq;

use super::SignedIn;

/// The hidden field every console form carries.
pub const FORM_TOKEN_FIELD: &str = "form_token";

/// Whether the browser says this request comes from a page of this server. Clients that are
/// not browsers say nothing and pass here; the form token still stops them.
pub fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    let Some(origin) = headers.get(ORIGIN) else { return true };
    let host = headers.get(HOST).and_then(|host| host.to_str().ok());
    let origin_host =
        origin.to_str().ok().and_then(|origin| origin.split_once("://")).map(|(_, rest)| rest.trim_end_matches('/'));
    matches!((origin_host, host), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

/// Whether `sent` is the session's form token.
pub fn token_matches(signed_in: &SignedIn, sent: &str) -> bool {
    constant_time_eq(sent.as_bytes(), signed_in.session.form_token.as_bytes())
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    form_token: String,
}

/// A posted form of fields `T`, from this server's page, in a signed-in session whose role the
/// handler has already checked (its `Reader`/`Editor`/`Administrator` comes first).
#[derive(Debug)]
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = ConsoleError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if !same_origin(request.headers()) {
            return Err(ConsoleError::FormRefused);
        }
        let signed_in = request.extensions().get::<SignedIn>().cloned().ok_or(ConsoleError::NotAllowed)?;
        let body = Bytes::from_request(request, state).await.map_err(|_| ConsoleError::FormRefused)?;
        let token: TokenOnly = serde_urlencoded::from_bytes(&body).map_err(|_| ConsoleError::FormRefused)?;
        if !token_matches(&signed_in, &token.form_token) {
            return Err(ConsoleError::FormRefused);
        }
        serde_urlencoded::from_bytes(&body).map(CheckedForm).map_err(|error| {
            ConsoleError::App(jiayuan_community::error::AppError::BadRequest(format!(
                "the form is not complete: {error}"
            )))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn posts_from_this_server_pass_and_from_elsewhere_do_not() {
        assert!(same_origin(&headers(&[("host", "jiayuan.lan:8443"), ("origin", "https://jiayuan.lan:8443")])));
        assert!(same_origin(&headers(&[("host", "jiayuan.lan"), ("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("host", "jiayuan.lan"), ("origin", "https://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "jiayuan.lan"), ("origin", "null")])));
        assert!(!same_origin(&headers(&[("host", "jiayuan.lan"), ("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("host", "jiayuan.lan"), ("sec-fetch-site", "same-site")])));
    }
}
