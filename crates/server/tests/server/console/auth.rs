//! Signing in, passwords and sessions.

use jiayuan_community::office::accounts::Role;

use crate::support::console::{
    Browser, CHOSEN, SITE, add_staff, client, known_browser_cookie, location, post_sign_in, post_sign_in_from,
    session_cookie,
};
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
async fn wrong_passwords_slow_the_computer_they_come_from_and_never_lock_staff_out() {
    let server = spawn_with_demo().await;
    let mut staff = Browser::staff(&server, "qian", Role::Staff).await;
    for _ in 0..5 {
        let response = post_sign_in_from(&server, "10.0.0.66", None, "qian", "not the password").await;
        assert_eq!(response.status(), 401);
        assert!(response.text().await.unwrap().contains("账号或密码不对"));
    }
    let held = post_sign_in_from(&server, "10.0.0.66", None, "qian", CHOSEN).await;
    assert_eq!(held.status(), 429, "the guessing computer waits, even with the right password");
    assert!(held.text().await.unwrap().contains("分钟后再试"));
    // Qian at her own desk is not held back by a stranger's guesses, nor is anyone else.
    assert_eq!(post_sign_in_from(&server, "10.0.0.7", None, "qian", CHOSEN).await.status(), 303);
    let other = Browser::staff(&server, "sun", Role::Staff).await;
    assert_eq!(other.get("/console").await.status(), 200);
    staff.refresh_token().await;
    assert_eq!(staff.get("/console").await.status(), 200);
    // An unknown account's answer is the same as a wrong password's.
    assert_eq!(post_sign_in(&server, "nobody", "whatever").await.status(), 401);
}

#[tokio::test]
async fn a_crowd_guessing_at_once_gets_a_handful_of_tries_and_the_office_computer_still_signs_in() {
    let server = spawn_with_demo().await;
    Browser::staff(&server, "zheng", Role::Staff).await;
    let first = post_sign_in_from(&server, "10.0.0.9", None, "zheng", CHOSEN).await;
    let known = known_browser_cookie(&first).expect("the office computer is now known to the account");

    // Sixty computers guess at once, each a different address.
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..60 {
        let request = client()
            .post(server.url("/console/sign-in"))
            .header("origin", &server.base)
            .header("x-forwarded-for", format!("10.1.0.{n}"))
            .form(&[("staff_id", "zheng"), ("password", "guess")]);
        guesses.spawn(async move { request.send().await.unwrap().status() });
    }
    let answers = guesses.join_all().await;
    let tried = answers.iter().filter(|status| status.as_u16() == 401).count();
    assert!(tried <= 10, "sent all at once, {tried} guesses were checked");
    assert!(answers.iter().all(|status| [401, 429].contains(&status.as_u16())), "{answers:?}");
    let from_new = post_sign_in_from(&server, "10.0.0.10", None, "zheng", CHOSEN).await;
    assert_eq!(from_new.status(), 429, "a computer never seen before waits with the crowd");
    let office = post_sign_in_from(&server, "10.0.0.9", Some(&known), "zheng", CHOSEN).await;
    assert_eq!(office.status(), 303, "the computer the account signed in from before goes on");
}

#[tokio::test]
async fn an_account_name_typed_with_spaces_or_capitals_or_full_width_is_one_account_to_the_throttle() {
    let server = spawn_with_demo().await;
    Browser::staff(&server, "feng", Role::Staff).await;
    for typed in [" feng", "FENG", "\u{3000}feng", "ｆｅｎｇ", "feng "] {
        let response = post_sign_in_from(&server, "10.0.0.20", None, typed, "not the password").await;
        assert_eq!(response.status(), 401, "{typed:?}");
    }
    assert_eq!(post_sign_in_from(&server, "10.0.0.20", None, "Feng", CHOSEN).await.status(), 429);
    assert_eq!(post_sign_in_from(&server, "10.0.0.21", None, "ＦＥＮＧ", CHOSEN).await.status(), 303);
}

#[tokio::test]
async fn guessing_the_current_password_on_the_change_form_is_throttled_like_signing_in() {
    let server = spawn_with_demo().await;
    let left_open = Browser::staff(&server, "chu", Role::Staff).await;
    let mut statuses = Vec::new();
    for guess in 0..6 {
        let guess = format!("guess number {guess}");
        let fields = [("current", guess.as_str()), ("new", "a new long password"), ("again", "a new long password")];
        statuses.push(left_open.post("/console/password", &fields).await.status().as_u16());
    }
    assert_eq!(statuses, [422, 422, 422, 422, 422, 429]);
    let right = [("current", CHOSEN), ("new", "a new long password"), ("again", "a new long password")];
    assert_eq!(left_open.post("/console/password", &right).await.status(), 429, "a passer-by cannot go on guessing");
    let elsewhere = post_sign_in_from(&server, "10.0.0.30", None, "chu", CHOSEN).await;
    assert_eq!(elsewhere.status(), 303, "the password was not changed");
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
    let admin = jiayuan_community::action_log::Actor::Staff("boss".into());
    add_staff(&server, "boss", Role::Administrator, &[SITE]).await;
    jiayuan_community::office::staff::remove(&server.db, &admin, "wu").await.unwrap();
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
