//! Every console route refuses anyone not signed in or without the role, route by route: not
//! signed in, a forged session, the wrong role, a form without the session's token or posted
//! from another site. Routes about one thing of another site answer 404 (`other_site`).

use jiayuan_community::office::accounts::Role;

use crate::support::console::{Browser, client, location};
use crate::support::{TestServer, spawn_with_demo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// Signed in, any role (one's own password, signing out).
    SignedIn,
    Viewer,
    Staff,
    Administrator,
}

struct Route {
    method: &'static str,
    path: &'static str,
    need: Need,
    fields: &'static [(&'static str, &'static str)],
}

const fn get(path: &'static str, need: Need) -> Route {
    Route { method: "GET", path, need, fields: &[] }
}

const fn post(path: &'static str, need: Need, fields: &'static [(&'static str, &'static str)]) -> Route {
    Route { method: "POST", path, need, fields }
}

/// The one form that carries a file: posted as multipart, as a browser posts it.
const UPLOADS: &str = "/console/uploads";

/// Every console route, with the least its caller needs.
fn routes() -> Vec<Route> {
    vec![
        get("/console", Need::Viewer),
        get("/console/care", Need::Viewer),
        get("/console/care?format=xlsx", Need::Viewer),
        post("/console/care/settings", Need::Staff, &[("regular_days", "4"), ("absent_days", "7")]),
        post("/console/care/no-such/follow-up", Need::Staff, &[("outcome", "all_well")]),
        post("/console/care/pick-up-alert", Need::Staff, &[("pick_up_alert_minutes", "15")]),
        post("/console/notices/no-such/told", Need::Staff, &[]),
        post("/console/notices/no-such/no-answer", Need::Staff, &[]),
        get("/console/password", Need::SignedIn),
        post("/console/password", Need::SignedIn, &[("current", "x"), ("new", "y"), ("again", "y")]),
        post("/console/site", Need::SignedIn, &[("site_id", "site-xingfuli")]),
        post("/console/sign-out", Need::SignedIn, &[]),
        get("/console/kiosks", Need::Viewer),
        post("/console/kiosks/pairing-codes", Need::Staff, &[("room_id", "room-seniors")]),
        post("/console/kiosks/no-such-kiosk/revoke", Need::Staff, &[("reason", "test")]),
        get("/console/schedule", Need::Viewer),
        get("/console/schedule/sessions/new", Need::Staff),
        post("/console/schedule/sessions", Need::Staff, &[]),
        get("/console/schedule/sessions/no-such", Need::Viewer),
        post("/console/schedule/sessions/no-such", Need::Staff, &[]),
        get("/console/schedule/sessions/no-such/edit", Need::Staff),
        post("/console/schedule/sessions/no-such/cancel", Need::Staff, &[("reason", "test")]),
        post("/console/schedule/sessions/no-such/restore", Need::Staff, &[]),
        post("/console/schedule/sessions/no-such/remove", Need::Staff, &[]),
        post(
            "/console/schedule/sessions/no-such/draw",
            Need::Staff,
            &[("closes_day", "2030-01-01"), ("closes_time", "10:00"), ("grace_minutes", "30")],
        ),
        post("/console/schedule/sessions/no-such/sign-ups", Need::Staff, &[("resident_id", "resident-0001")]),
        post("/console/schedule/sessions/no-such/paper", Need::Staff, &[("resident_id", "resident-0001")]),
        post("/console/schedule/sessions/no-such/sign-ups/resident-0001/cancel", Need::Staff, &[]),
        post("/console/schedule/sessions/no-such/pick-ups/resident-0001", Need::Staff, &[("reason", "t")]),
        post("/console/schedule/sessions/no-such/sign-ups/resident-0001/move", Need::Staff, &[("reason", "t")]),
        get("/console/schedule/recurring", Need::Viewer),
        post("/console/schedule/recurring", Need::Staff, &[]),
        get("/console/schedule/recurring/new", Need::Staff),
        post("/console/schedule/recurring/no-such", Need::Staff, &[]),
        get("/console/schedule/recurring/no-such/edit", Need::Staff),
        post("/console/schedule/recurring/no-such/end", Need::Staff, &[]),
        get("/console/residents", Need::Viewer),
        post("/console/residents", Need::Staff, &[]),
        get("/console/residents/new", Need::Staff),
        get("/console/residents/no-such", Need::Viewer),
        post("/console/residents/no-such", Need::Staff, &[]),
        post("/console/residents/no-such/card", Need::Staff, &[("card_number", "620000")]),
        post("/console/residents/no-such/deactivate", Need::Staff, &[("reason", "test")]),
        post("/console/residents/no-such/reactivate", Need::Staff, &[]),
        post("/console/residents/no-such/guardians", Need::Staff, &[("guardian", "resident-0001")]),
        post("/console/residents/no-such/guardians/resident-0001/remove", Need::Staff, &[]),
        post(
            "/console/residents/no-such/pick-up-contacts",
            Need::Staff,
            &[("contact_name", "x"), ("contact_phone", "139")],
        ),
        post("/console/residents/no-such/pick-up-contacts/no-such/remove", Need::Staff, &[]),
        get("/console/uploads", Need::Staff),
        post(UPLOADS, Need::Staff, &[("kind", "residents")]),
        post("/console/uploads/no-such/apply", Need::Staff, &[]),
        get("/console/staff", Need::Administrator),
        post("/console/staff", Need::Administrator, &[]),
        post("/console/staff/no-such", Need::Administrator, &[]),
        post("/console/staff/no-such/remove", Need::Administrator, &[]),
        post("/console/staff/no-such/reset-password", Need::Administrator, &[]),
        get("/console/log", Need::Administrator),
        get("/console/sites", Need::Administrator),
        post("/console/sites", Need::Administrator, &[("site_id", "site-new"), ("site_name", "新社区")]),
        post("/console/sites/rooms", Need::Administrator, &[("room_id", "room-new"), ("room_name", "新活动室")]),
        post("/console/sites/staff-pin", Need::Administrator, &[("staff_pin", "1357")]),
        get("/console/reports", Need::Viewer),
        get("/console/reports?format=csv", Need::Viewer),
        get("/console/reports?format=xlsx", Need::Viewer),
        get("/console/schedule/sessions/no-such/sheet", Need::Viewer),
        get("/console/reports/sessions", Need::Viewer),
        get("/console/reports/sessions?format=csv", Need::Viewer),
        get("/console/reports/demand", Need::Viewer),
        get("/console/reports/kiosks", Need::Viewer),
        get("/console/reports/kiosks?format=csv", Need::Viewer),
        get("/console/reports/records?format=xlsx", Need::Viewer),
        get("/console/reports/summary", Need::Viewer),
        get("/console/reports/communities", Need::Viewer),
        get("/console/reports/communities?format=xlsx&table=months", Need::Viewer),
        get("/console/reports/upward", Need::Viewer),
        get("/console/reports/upward?sites=all&format=xlsx", Need::Viewer),
        get("/console/reports/satisfaction", Need::Viewer),
        get("/console/reports/after-school", Need::Viewer),
        get("/console/reports/after-school?format=csv&table=children", Need::Viewer),
        get("/console/reports/satisfaction?format=csv&table=hosts", Need::Viewer),
        get("/console/time-bank", Need::Viewer),
        get("/console/time-bank?format=xlsx", Need::Viewer),
        get("/console/time-bank/resident-0004/certificate", Need::Viewer),
        post("/console/time-bank/honour", Need::Staff, &[("resident_id", "no-such"), ("hours", "1"), ("reason", "x")]),
        post("/console/time-bank/margin", Need::Staff, &[("margin", "45")]),
        post("/console/time-bank/held/no-such/confirm", Need::Staff, &[("hours", "1"), ("reason", "x")]),
    ]
}

async fn send(browser: &Browser, route: &Route, with_token: bool, origin: Option<&str>) -> reqwest::Response {
    if route.method == "GET" {
        return browser.get(route.path).await;
    }
    let mut fields = route.fields.to_vec();
    if with_token {
        fields.push(("form_token", browser.form_token.as_str()));
    }
    if route.path == UPLOADS {
        let form = fields.iter().fold(reqwest::multipart::Form::new(), |form, (k, v)| form.text(*k, v.to_string()));
        let mut request = browser.client.post(browser.url(route.path)).header("cookie", &browser.cookie);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        return request.multipart(form).send().await.unwrap();
    }
    browser.post_raw(route.path, &fields, origin).await
}

fn is_sign_in_redirect(response: &reqwest::Response) -> bool {
    response.status() == 303 && location(response).starts_with("/console/sign-in")
}

async fn browsers(server: &TestServer) -> [(Need, Browser); 3] {
    [
        (Need::Viewer, Browser::staff(server, "viewer", Role::Viewer).await),
        (Need::Staff, Browser::staff(server, "staff", Role::Staff).await),
        (Need::Administrator, Browser::staff(server, "admin2", Role::Administrator).await),
    ]
}

#[tokio::test]
async fn nobody_gets_in_without_a_session() {
    let server = spawn_with_demo().await;
    let anonymous =
        Browser { base: server.base.clone(), client: client(), cookie: String::new(), form_token: String::new() };
    let forged =
        Browser { cookie: "jiayuan_staff_session=0123456789abcdef0123456789abcdef".into(), ..anonymous.clone() };
    for route in routes() {
        for browser in [&anonymous, &forged] {
            let response = send(browser, &route, true, Some(&server.base)).await;
            assert!(is_sign_in_redirect(&response), "{} {} gave {}", route.method, route.path, response.status());
        }
    }
}

#[tokio::test]
async fn each_role_gets_what_it_needs_and_no_more() {
    let server = spawn_with_demo().await;
    let browsers = browsers(&server).await;
    // Signing out and changing one's password end the session: the other tests check them.
    let changes_session =
        |r: &Route| r.path.contains("sign-out") || (r.method == "POST" && r.path.contains("password"));
    for route in routes().iter().filter(|r| !changes_session(r)) {
        for (role, browser) in &browsers {
            let response = send(browser, route, true, Some(&server.base)).await;
            let status = response.status();
            if *role >= route.need {
                assert!(
                    status != 403 && !is_sign_in_redirect(&response),
                    "{role:?} may {} {}: got {status}",
                    route.method,
                    route.path
                );
            } else {
                assert_eq!(status, 403, "{role:?} may not {} {}", route.method, route.path);
                let page = response.text().await.unwrap();
                assert!(page.contains("您的账号不能做这件事"), "{page}");
            }
        }
    }
}

#[tokio::test]
async fn forms_without_the_sessions_token_or_from_another_site_are_refused() {
    let server = spawn_with_demo().await;
    let browsers = browsers(&server).await;
    let (_, admin) = &browsers[2];
    for route in routes().iter().filter(|r| r.method == "POST") {
        let missing = send(admin, route, false, Some(&server.base)).await;
        assert_eq!(missing.status(), 403, "no token: POST {}", route.path);
        assert!(missing.text().await.unwrap().contains("这个页面已过期"));
        let other = Browser { form_token: "not-the-token".into(), ..admin.clone() };
        assert_eq!(send(&other, route, true, Some(&server.base)).await.status(), 403, "wrong token: {}", route.path);
        let cross = send(admin, route, true, Some("https://evil.example")).await;
        assert_eq!(cross.status(), 403, "from another site: POST {}", route.path);
    }
    assert_eq!(admin.get("/console").await.status(), 200, "none of them signed the administrator out");
}

#[tokio::test]
async fn pages_carry_a_strict_content_security_policy_and_are_not_cached() {
    let server = spawn_with_demo().await;
    let admin = Browser::staff(&server, "csp", Role::Administrator).await;
    let gets = routes().into_iter().filter(|r| r.method == "GET").map(|r| r.path);
    for path in gets.chain(["/console/sign-in"]) {
        let response = admin.get(path).await;
        let csp = response.headers()["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'none'"), "{path}: {csp}");
        assert!(!csp.contains("script-src"), "no scripts at all: {csp}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn another_sites_sessions_and_residents_are_out_of_reach() {
    let server = spawn_with_demo().await;
    let other = Browser::staff_of(&server, "other-staff", Role::Staff, &["site-other"]).await;
    let activity = crate::support::kiosk::activity_with_capacity(&server, 5).await;
    let session = format!("/console/schedule/sessions/{activity}");
    assert_eq!(other.get(&session).await.status(), 404);
    assert_eq!(other.get(&format!("{session}/edit")).await.status(), 404);
    let sign_up = other.post(&format!("{session}/sign-ups"), &[("resident_id", "resident-0001")]).await;
    assert_eq!(sign_up.status(), 404);
    assert_eq!(other.post(&format!("{session}/cancel"), &[("reason", "not mine")]).await.status(), 404);
    assert_eq!(other.get("/console/residents/resident-0001").await.status(), 404);
    let deactivate = other.post("/console/residents/resident-0001/deactivate", &[("reason", "not mine")]).await;
    assert_eq!(deactivate.status(), 404);
    assert!(!other.page("/console/residents?q=resident-0001").await.contains("/console/residents/resident-0001\""));
    assert!(!other.page("/console/schedule").await.contains(&activity), "other sites' weeks are not shown");
    assert_eq!(crate::support::kiosk::seats_taken(&server, &activity).await, 0);
    let active = crate::support::kiosk::scalar(
        &server,
        "SELECT COUNT(*) FROM residents WHERE id = $1 AND deactivated_at IS NULL",
        "resident-0001",
    )
    .await;
    assert_eq!(active, 1);

    // Every other id a form or URL carries, checked against the site too.
    let drop_in: String = sqlx::query_scalar("SELECT id FROM activities WHERE capacity IS NULL ORDER BY id LIMIT 1")
        .fetch_one(&server.db.pool)
        .await
        .unwrap();
    let paper_path = format!("/console/schedule/sessions/{drop_in}/paper");
    assert_eq!(other.post(&paper_path, &[("resident_id", "resident-0001")]).await.status(), 404);
    assert_eq!(other.post(&format!("/console/schedule/sessions/{drop_in}/remove"), &[]).await.status(), 404);
    assert_eq!(other.post("/console/residents/resident-0001/card", &[("card_number", "777")]).await.status(), 404);
    assert_eq!(other.get("/console/time-bank/resident-0004/certificate").await.status(), 404);
    let code = other.post("/console/kiosks/pairing-codes", &[("room_id", "room-seniors")]).await;
    assert_eq!(code.status(), 404, "no pairing code for another site's room");
    let admin_elsewhere = Browser::staff_of(&server, "other-admin", Role::Administrator, &["site-other"]).await;
    crate::support::console::add_staff(&server, "here-only", Role::Staff, &[crate::support::console::SITE]).await;
    let reset = admin_elsewhere.post("/console/staff/here-only/reset-password", &[]).await;
    assert_eq!(reset.status(), 404, "no one-time password for another site's account");
}
