//! Signing in, passwords and sessions.

use jiayuan_server::console::auth::Role;

use crate::support::console::{Browser, CHOSEN, SITE, add_staff, client, location, post_sign_in, session_cookie};
use crate::support::spawn_with_demo;

#[tokio::test]
async fn a_one_time_password_signs_in_once_and_asks_for_a_password_of_ones_own() {
    let server = spawn_with_demo().await;
    let one_time = add_staff(&server, "li.na", Role::Staff, &[SITE]).await;
    let first = Browser::sign_in(&server, "li.na", &one_time).await;
    let today = first.get("/console").await;
    assert_eq!(today.status(), 303, "nothing else before the password is chosen");
    assert_eq!(location(&today), "/console/password");

    let weak = first.post("/console/password", &[("current", &one_time), ("new", "short"), ("again", "short")]).await;
    assert_eq!(weak.status(), 422);
    let page = weak.text().await.unwrap();
    assert!(page.contains("新密码太短了"), "the problem is named next to the field: {page}");
    assert!(page.contains("aria-invalid=\"true\""));

    let mismatch =
        first.post("/console/password", &[("current", &one_time), ("new", CHOSEN), ("again", "something else")]).await;
    assert!(mismatch.text().await.unwrap().contains("两次输入的新密码不一样"));

    let changed = first.post("/console/password", &[("current", &one_time), ("new", CHOSEN), ("again", CHOSEN)]).await;
    assert_eq!(changed.status(), 303);
    assert_eq!(location(&changed), "/console?done=password_changed");
    let browser = Browser { cookie: session_cookie(&changed).unwrap(), ..first.clone() };
    let page = browser.page("/console?done=password_changed").await;
    assert!(page.contains("新密码已保存"), "{page}");
    assert!(page.contains("幸福里社区"), "the site's name: {page}");
    assert_eq!(first.get("/console").await.status(), 303, "the one-time session ended with the change");
    assert_eq!(post_sign_in(&server, "li.na", &one_time).await.status(), 401, "the one-time password is gone");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_over_https() {
    let server = spawn_with_demo().await;
    let one_time = add_staff(&server, "zhao", Role::Viewer, &[SITE]).await;
    let response = post_sign_in(&server, "zhao", &one_time).await;
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/console"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback: {cookie}");
    // Through the community's reverse proxy over HTTPS (tests trust loopback as a proxy).
    let response = client()
        .post(server.url("/console/sign-in"))
        .header("x-forwarded-proto", "https")
        .form(&[("staff_id", "zhao"), ("password", one_time.as_str())])
        .send()
        .await
        .unwrap();
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_the_account_waits() {
    let server = spawn_with_demo().await;
    let mut staff = Browser::staff(&server, "qian", Role::Staff).await;
    for _ in 0..5 {
        let response = post_sign_in(&server, "qian", "not the password").await;
        assert_eq!(response.status(), 401);
        assert!(response.text().await.unwrap().contains("账号或密码不对"));
    }
    let held = post_sign_in(&server, "qian", CHOSEN).await;
    assert_eq!(held.status(), 429, "even the right password waits while the account is guessed at");
    assert!(held.text().await.unwrap().contains("分钟后再试"));
    // Others at the same office are not held back, and the signed-in browser goes on.
    let other = Browser::staff(&server, "sun", Role::Staff).await;
    assert_eq!(other.get("/console").await.status(), 200);
    staff.refresh_token().await;
    assert_eq!(staff.get("/console").await.status(), 200);
    // An unknown account's answer is the same as a wrong password's.
    assert_eq!(post_sign_in(&server, "nobody", "whatever").await.status(), 401);
}

#[tokio::test]
async fn a_changed_password_ends_the_accounts_other_sessions() {
    let server = spawn_with_demo().await;
    let office = Browser::staff(&server, "zhou", Role::Staff).await;
    let desk = Browser::sign_in(&server, "zhou", CHOSEN).await;
    assert_eq!(desk.get("/console").await.status(), 200);
    let changed = office
        .post(
            "/console/password",
            &[("current", CHOSEN), ("new", "another long password"), ("again", "another long password")],
        )
        .await;
    assert_eq!(changed.status(), 303);
    let old = desk.get("/console").await;
    assert_eq!(old.status(), 303, "the desk's old session ended");
    assert!(location(&old).starts_with("/console/sign-in"));
}

#[tokio::test]
async fn a_removed_account_is_signed_out_and_cannot_sign_in() {
    let server = spawn_with_demo().await;
    let wu = Browser::staff(&server, "wu", Role::Staff).await;
    let admin = jiayuan_server::action_log::Actor::Staff("boss".into());
    add_staff(&server, "boss", Role::Administrator, &[SITE]).await;
    jiayuan_server::console::staff::service::remove(&server.db, &admin, "wu").await.unwrap();
    assert_eq!(wu.get("/console").await.status(), 303);
    assert_eq!(post_sign_in(&server, "wu", CHOSEN).await.status(), 401);
}

#[tokio::test]
async fn a_session_ends_after_half_an_hour_without_use_and_on_signing_out() {
    let server = spawn_with_demo().await;
    let zheng = Browser::staff(&server, "zheng", Role::Staff).await;
    sqlx::query("UPDATE staff_sessions SET last_used_at = last_used_at - $1")
        .bind(31 * 60 * 1000_i64)
        .execute(&server.db.pool)
        .await
        .unwrap();
    let idle = zheng.get("/console/password").await;
    assert_eq!(idle.status(), 303);
    assert_eq!(location(&idle), "/console/sign-in?back=%2Fconsole%2Fpassword", "and comes back after signing in");

    let again = Browser::sign_in(&server, "zheng", CHOSEN).await;
    let out = again.post("/console/sign-out", &[]).await;
    assert_eq!(out.status(), 303);
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    assert_eq!(again.get("/console").await.status(), 303, "the old cookie is worth nothing");
}

#[tokio::test]
async fn the_console_speaks_english_when_asked() {
    let server = spawn_with_demo().await;
    let mut browser = Browser::staff(&server, "feng", Role::Staff).await;
    let response =
        browser.post_raw("/console/language", &[("lang", "en"), ("back", "/console")], Some(&server.base)).await;
    assert_eq!(response.status(), 303);
    let language = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    browser.cookie = format!("{}; {language}", browser.cookie);
    let page = browser.page("/console").await;
    assert!(page.contains("<html lang=\"en\">"));
    assert!(page.contains("Signed in today"), "{page}");
}
