//! The kiosk's build is served with caching that lets kiosks pick up new builds.

use crate::support::{HASHED_JS, spawn_with_demo};
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};

#[tokio::test]
async fn the_page_is_served_at_the_root_and_always_revalidated() {
    let server = spawn_with_demo().await;
    let response = server.get("/").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()[CACHE_CONTROL], "no-cache");
    assert!(response.headers()[CONTENT_TYPE].to_str().unwrap().starts_with("text/html"));
    assert!(response.text().await.unwrap().contains("<title>家园</title>"));
}

#[tokio::test]
async fn hashed_assets_are_cached_for_good_and_the_service_worker_is_not() {
    let server = spawn_with_demo().await;
    let asset = server.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(asset.status(), 200);
    assert_eq!(asset.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    let worker = server.get("/sw.js").await;
    assert_eq!(worker.status(), 200);
    assert_eq!(worker.headers()[CACHE_CONTROL], "no-cache");
}

#[tokio::test]
async fn a_new_service_worker_written_within_the_same_second_is_served_not_304() {
    let server = spawn_with_demo().await;
    let first = server.get("/sw.js").await;
    assert!(first.headers().get(reqwest::header::LAST_MODIFIED).is_none());
    let old = first.text().await.unwrap();
    std::fs::write(server.kiosk_dir.path().join("sw.js"), "// the next build\n").unwrap();
    // What a browser sends when it checks for a new worker, with the date it last saw.
    let response =
        server.client.get(server.url("/sw.js")).header("if-modified-since", httpdate_now()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let new = response.text().await.unwrap();
    assert_ne!(new, old);
    assert_eq!(new, "// the next build\n");
}

fn httpdate_now() -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    (time::OffsetDateTime::now_utc() + time::Duration::seconds(5)).format(format).unwrap()
}

#[tokio::test]
async fn a_missing_file_is_not_found_and_not_cached() {
    let server = spawn_with_demo().await;
    let response = server.get("/no-such-file.js").await;
    assert_eq!(response.status(), 404);
    assert!(response.headers().get(CACHE_CONTROL).is_none());
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let server = spawn_with_demo().await;
    for path in ["/", "/api/health", "/staff"] {
        let response = server.get(path).await;
        assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(response.headers()["x-frame-options"], "DENY", "{path}");
        assert_eq!(response.headers()["referrer-policy"], "same-origin", "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn text_is_compressed_for_browsers_that_accept_it() {
    let server = spawn_with_demo().await;
    let response =
        server.client.get(server.url(&format!("/{HASHED_JS}"))).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(response.headers()[CONTENT_ENCODING], "br");
}
