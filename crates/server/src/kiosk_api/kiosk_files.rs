//! Serves the kiosk's Trunk build with the caching each file needs.
//!
//! Trunk puts a content hash in asset names, so those never change and are cached for a year.
//! The page itself and the service worker keep their names across builds and must be
//! revalidated on every load, or kiosks would keep an old build for good. They are sent whole
//! each time (a few KB): `Last-Modified` has one-second resolution, and a build written within
//! the same second as the one before would be answered "304 Not Modified" and missed.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, IF_MODIFIED_SINCE, LAST_MODIFIED};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";

pub fn service(kiosk_dir: &Path) -> Router {
    Router::new().fallback_service(ServeDir::new(kiosk_dir)).layer(middleware::from_fn(cache_policy))
}

async fn cache_policy(mut request: Request, next: Next) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    if !immutable {
        request.headers_mut().remove(IF_MODIFIED_SINCE);
    }
    let mut response = next.run(request).await;
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = if immutable { IMMUTABLE } else { REVALIDATE };
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(policy));
        if !immutable {
            response.headers_mut().remove(LAST_MODIFIED);
        }
    }
    response
}

/// Trunk's hashed names: `jiayuan-kiosk-0123456789abcdef_bg.wasm`, `kiosk-0123456789abcdef.css`.
pub fn is_hashed_asset(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => !name.is_empty() && hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn trunk_assets_are_hashed() {
        assert!(is_hashed_asset("/jiayuan-kiosk-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/jiayuan-kiosk-0123456789abcdef.js"));
        assert!(is_hashed_asset("/kiosk-fedcba9876543210.css"));
    }

    #[test]
    fn the_page_and_the_service_worker_are_not() {
        assert!(!is_hashed_asset("/"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/-0123456789abcdef.js"));
        assert!(!is_hashed_asset("/jiayuan-kiosk-0123456789abcdeg.js"));
    }
}
