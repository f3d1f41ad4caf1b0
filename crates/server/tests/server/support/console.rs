//! A browser's view of the staff console: a cookie, the form token pages carry, and forms
//! posted as a browser posts them (same-origin, urlencoded).

use jiayuan_community::action_log::Actor;
use jiayuan_community::office::accounts::Role;
use jiayuan_community::office::staff::{self as staff, AccountForm};
use reqwest::redirect::Policy;

use super::TestServer;

/// The demo site every console test works on.
pub const SITE: &str = jiayuan_community::demo::SITE.0;

/// A password staff choose in tests.
pub const CHOSEN: &str = "a long chosen password";

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(Policy::none()).build().unwrap()
}

/// Makes an account of `role` on `sites`: its one-time password.
pub async fn add_staff(server: &TestServer, id: &str, role: Role, sites: &[&str]) -> String {
    let mut tx = server.db.begin_write().await.unwrap();
    for site in sites {
        jiayuan_community::sites::ensure(&mut tx, site).await.unwrap();
    }
    tx.commit().await.unwrap();
    let form = AccountForm {
        id: id.to_owned(),
        display_name: format!("Staff {id}"),
        role,
        sites: sites.iter().map(|s| s.to_string()).collect(),
    };
    staff::add(&server.db, &Actor::CommandLine, &form).await.unwrap()
}

/// One browser signed in to the console.
#[derive(Clone)]
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub cookie: String,
    pub form_token: String,
}

/// The session cookie a sign-in answer sets.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("jiayuan_staff_session=") && !v.starts_with("jiayuan_staff_session=;"))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// The cookie by which a browser is known to the account it signed in to (the throttle's
/// "device cookie"), as a `cookie` header's `name=value`.
pub fn known_browser_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("jiayuan_known_"))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// A sign-in from another computer: `address` as the community's proxy reports it (tests
/// trust loopback as a proxy), with the cookies in `cookie`, if any.
pub async fn post_sign_in_from(
    server: &TestServer,
    address: &str,
    cookie: Option<&str>,
    id: &str,
    password: &str,
) -> reqwest::Response {
    let request = client()
        .post(server.url("/console/sign-in"))
        .header("origin", &server.base)
        .header("x-forwarded-for", address)
        .form(&[("staff_id", id), ("password", password), ("back", "/console")]);
    let request = match cookie {
        Some(cookie) => request.header("cookie", cookie),
        None => request,
    };
    request.send().await.unwrap()
}

pub async fn post_sign_in(server: &TestServer, id: &str, password: &str) -> reqwest::Response {
    client()
        .post(server.url("/console/sign-in"))
        .header("origin", &server.base)
        .form(&[("staff_id", id), ("password", password), ("back", "/console")])
        .send()
        .await
        .unwrap()
}

/// The form token in a console page.
pub fn form_token_in(page: &str) -> Option<String> {
    let at = page.find("name=\"form_token\" value=\"")? + "name=\"form_token\" value=\"".len();
    Some(page[at..].split('"').next()?.to_owned())
}

impl Browser {
    /// Signs in as `id` with `password`, as a browser would.
    pub async fn sign_in(server: &TestServer, id: &str, password: &str) -> Browser {
        let response = post_sign_in(server, id, password).await;
        assert_eq!(response.status(), 303, "signing in as {id}");
        let cookie = session_cookie(&response).expect("a session cookie");
        let mut browser = Browser { base: server.base.clone(), client: client(), cookie, form_token: String::new() };
        browser.refresh_token().await;
        browser
    }

    /// A new account of `role` on the demo site, signed in with its own password chosen.
    pub async fn staff(server: &TestServer, id: &str, role: Role) -> Browser {
        Browser::staff_of(server, id, role, &[SITE]).await
    }

    pub async fn staff_of(server: &TestServer, id: &str, role: Role, sites: &[&str]) -> Browser {
        let one_time = add_staff(server, id, role, sites).await;
        let first = Browser::sign_in(server, id, &one_time).await;
        let response = first
            .post("/console/password", &[("current", one_time.as_str()), ("new", CHOSEN), ("again", CHOSEN)])
            .await;
        assert_eq!(response.status(), 303, "choosing a password: {}", response.text().await.unwrap());
        let cookie = session_cookie(&response).expect("a new session after the change");
        let mut browser = Browser { cookie, ..first };
        browser.refresh_token().await;
        browser
    }

    pub async fn refresh_token(&mut self) {
        let page = self.get("/console/password").await.text().await.unwrap();
        self.form_token = form_token_in(&page).unwrap_or_default();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).header("cookie", &self.cookie).send().await.unwrap()
    }

    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Posts `fields` with this session's form token, from a page of this server.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("form_token", &self.form_token));
        self.post_raw(path, &all, Some(&self.base)).await
    }

    /// Posts `fields` built at run time, with this session's form token.
    pub async fn post_owned(&self, path: &str, fields: &[(String, String)]) -> reqwest::Response {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        self.post(path, &borrowed).await
    }

    /// Sends a file through the upload form, as a browser sends a file input.
    pub async fn upload(&self, kind: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let file = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new()
            .text("form_token", self.form_token.clone())
            .text("kind", kind.to_owned())
            .part("file", file);
        let request = self.client.post(self.url("/console/uploads")).header("cookie", &self.cookie);
        request.header("origin", &self.base).multipart(form).send().await.unwrap()
    }

    /// Posts exactly `fields`, with `origin` as the browser would say it.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)], origin: Option<&str>) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).header("cookie", &self.cookie).form(fields);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        request.send().await.unwrap()
    }
}

/// Where a redirect answer sends the browser.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}
