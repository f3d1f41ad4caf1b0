//! Who is asking: the signed-in staff member, from the session cookie, and what their role
//! lets them do. Handlers say what they need by the extractor they take — `Reader` (any
//! signed-in account), `Editor` (staff and administrators), `Administrator` — so a route cannot
//! forget to check. Forms that change anything are read by `forms::CheckedForm`, which also
//! wants this session's form token.

pub mod device;
pub mod forms;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::console::cookies::cookie_value;
use crate::console::error::ConsoleError;
use crate::console::i18n::Lang;
use crate::state::AppState;
use jiayuan_community::office::accounts::sessions;

pub use jiayuan_community::office::accounts::Role;
pub use jiayuan_community::office::accounts::Session;

/// Where a staff member with a one-time password chooses their own.
pub const PASSWORD_PATH: &str = "/console/password";

/// A signed-in staff member and the language their console is in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub session: Session,
    pub lang: Lang,
}

impl SignedIn {
    pub fn role(&self) -> Role {
        self.session.role
    }

    pub fn site_id(&self) -> &str {
        &self.session.site_id
    }

    pub fn staff_id(&self) -> &str {
        &self.session.staff_id
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(signed_in) = parts.extensions.get::<SignedIn>() {
            return Ok(signed_in.clone());
        }
        let back_to = parts.uri.path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
        let sign_in_needed = || ConsoleError::SignInNeeded { back_to: back_to.clone() };
        let token = cookie_value(&parts.headers, sessions::COOKIE).ok_or_else(sign_in_needed)?;
        let session = sessions::find(&state.db, &token).await?.ok_or_else(sign_in_needed)?;
        if session.must_change_password && parts.uri.path() != PASSWORD_PATH {
            return Err(ConsoleError::PasswordChangeNeeded);
        }
        let signed_in = SignedIn { session, lang: Lang::of_request(&parts.headers) };
        // Kept for `CheckedForm`, which reads the body after this.
        parts.extensions.insert(signed_in.clone());
        Ok(signed_in)
    }
}

/// Any signed-in account: viewers read everything of their site.
#[derive(Debug, Clone)]
pub struct Reader(pub SignedIn);

/// Staff and administrators: they change the schedule, the roster, sign-ups and kiosks.
#[derive(Debug, Clone)]
pub struct Editor(pub SignedIn);

/// Administrators only: staff accounts and the action log.
#[derive(Debug, Clone)]
pub struct Administrator(pub SignedIn);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        SignedIn::from_request_parts(parts, state).await.map(Reader)
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        if signed_in.role().may_change() { Ok(Editor(signed_in)) } else { Err(ConsoleError::NotAllowed) }
    }
}

impl FromRequestParts<AppState> for Administrator {
    type Rejection = ConsoleError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        if signed_in.role().is_administrator() { Ok(Administrator(signed_in)) } else { Err(ConsoleError::NotAllowed) }
    }
}
