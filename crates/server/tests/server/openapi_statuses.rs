//! Every status a route answers is in the OpenAPI document: each route is driven into each
//! answer it can give, over real HTTP, and the document must name it, with the error body.

use crate::support::kiosk::{pair, push, record, sign_in};
use crate::support::spawn_with_demo;
use serde_json::{Value, json};

/// (method, path, status) seen, with the request that made it.
async fn observe(server: &crate::support::TestServer) -> Vec<(&'static str, &'static str, u16, &'static str)> {
    let client = &server.client;
    let kiosk = pair(server, "room-seniors").await;
    let post =
        |path: &str, body: String| client.post(server.url(path)).header("content-type", "application/json").body(body);
    let status = |response: reqwest::Response| response.status().as_u16();
    let mut seen = Vec::new();

    let code = crate::support::pairing_code(server, "room-hall").await;
    seen.push((
        "post",
        "/api/kiosks/pair",
        status(post("/api/kiosks/pair", json!({ "code": code }).to_string()).send().await.unwrap()),
        "good",
    ));
    seen.push((
        "post",
        "/api/kiosks/pair",
        status(post("/api/kiosks/pair", "{".into()).send().await.unwrap()),
        "malformed",
    ));
    seen.push((
        "post",
        "/api/kiosks/pair",
        status(post("/api/kiosks/pair", json!({ "code": "00000000" }).to_string()).send().await.unwrap()),
        "wrong code",
    ));
    let huge = json!({ "code": "1", "padding": "x".repeat(3 * 1024 * 1024) }).to_string();
    seen.push(("post", "/api/kiosks/pair", status(post("/api/kiosks/pair", huge).send().await.unwrap()), "too large"));
    let mut guessing = Vec::new();
    for _ in 0..8 {
        let guess = post("/api/kiosks/pair", json!({ "code": "00000001" }).to_string())
            .header("x-forwarded-for", "192.168.7.7");
        guessing.push(status(guess.send().await.unwrap()));
    }
    seen.push(("post", "/api/kiosks/pair", guessing[7], "too many wrong codes"));

    seen.push((
        "post",
        "/api/sync/push",
        status(push(server, &kiosk, &[record(1, sign_in("resident-0001"))]).await),
        "good",
    ));
    seen.push((
        "post",
        "/api/sync/push",
        status(push(server, &kiosk, &[record(5, sign_in("resident-0001"))]).await),
        "gap",
    ));
    seen.push((
        "post",
        "/api/sync/push",
        status(push(server, &kiosk, &[record(1, sign_in("resident-0002"))]).await),
        "number reused",
    ));
    let bad = post("/api/sync/push", "{".into()).header("authorization", kiosk.token()).send().await.unwrap();
    seen.push(("post", "/api/sync/push", status(bad), "malformed"));
    seen.push((
        "post",
        "/api/sync/push",
        status(post("/api/sync/push", "{}".into()).send().await.unwrap()),
        "no credentials",
    ));
    let huge = json!({ "records": [], "padding": "x".repeat(2 * 1024 * 1024) }).to_string();
    seen.push((
        "post",
        "/api/sync/push",
        status(post("/api/sync/push", huge).header("authorization", kiosk.token()).send().await.unwrap()),
        "too large",
    ));

    let pull = |query: &str, token: Option<String>| {
        let mut request = client.get(server.url(&format!("/api/sync/pull{query}")));
        if let Some(token) = token {
            request = request.header("authorization", token);
        }
        request.send()
    };
    seen.push(("get", "/api/sync/pull", status(pull("?cursor=0", Some(kiosk.token())).await.unwrap()), "good"));
    seen.push(("get", "/api/sync/pull", status(pull("?cursor=abc", Some(kiosk.token())).await.unwrap()), "bad cursor"));
    seen.push(("get", "/api/sync/pull", status(pull("", None).await.unwrap()), "no credentials"));

    crate::support::kiosk::revoke(server, &kiosk).await;
    seen.push((
        "post",
        "/api/sync/push",
        status(push(server, &kiosk, &[record(2, sign_in("resident-0001"))]).await),
        "revoked",
    ));
    seen.push(("get", "/api/sync/pull", status(pull("", Some(kiosk.token())).await.unwrap()), "revoked"));

    let paired = crate::support::kiosk::pair(server, "room-hall").await;
    let asked = |query: &'static str| crate::support::kiosk::schedule(server, &paired, query);
    seen.push(("get", "/api/schedule", status(asked("").await), "good"));
    seen.push(("get", "/api/schedule", status(asked("from=tomorrow").await), "bad date"));
    seen.push(("get", "/api/schedule", status(server.get("/api/schedule").await), "no kiosk"));
    seen.push(("get", "/api/health", status(server.get("/api/health").await), "good"));
    seen
}

#[tokio::test]
async fn every_status_a_route_answers_is_documented() {
    let server = spawn_with_demo().await;
    let doc: Value = server.get("/api/openapi.json").await.json().await.unwrap();
    let seen = observe(&server).await;
    let statuses: std::collections::BTreeSet<u16> = seen.iter().map(|(_, _, status, _)| *status).collect();
    assert!(
        statuses.is_superset(&[200, 201, 400, 401, 403, 409, 413, 429].into()),
        "the requests reach every kind of answer: {seen:?}"
    );
    for (method, path, status, what) in seen {
        let response = &doc["paths"][path][method]["responses"][status.to_string()];
        assert!(response.is_object(), "{method} {path} answers {status} ({what}) but the document does not say so");
        if status >= 400 {
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ApiError",
                "{method} {path} {status}"
            );
        }
    }
}
