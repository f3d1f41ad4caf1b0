//! `/console/kiosks`: pair a kiosk with a room, watch every kiosk, revoke one.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::schedule::Room;
use serde::Deserialize;

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Editor, Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::{Done, render};
use crate::state::AppState;
use jiayuan_community::action_log::Actor;
use jiayuan_community::community_time::{date_and_clock, wall_clock};
use jiayuan_community::error::AppError;
use jiayuan_community::kiosks::pairing::PairingCode;
use jiayuan_community::schedule::rooms_of_site;

use jiayuan_community::office::kiosks::{self as service, KioskStatus};

/// A clock further off than this is shown as a problem: sign-ins would be counted on the
/// wrong day near midnight, and "today" on the kiosk would be wrong.
const CLOCK_OFF_MS: i64 = 5 * 60 * 1000;

#[derive(Template)]
#[template(path = "console/kiosks.html")]
struct KiosksPage {
    chrome: Chrome,
    rooms: Vec<Room>,
    kiosks: Vec<KioskStatus>,
    /// A code just made, for its room, with when it stops working.
    code: Option<(PairingCode, String)>,
    /// A revoke form refused for want of a reason: the kiosk's id.
    reason_missing_for: Option<String>,
    utc_offset: time::UtcOffset,
}

impl KiosksPage {
    fn room_name(&self, room_id: &str) -> String {
        self.rooms
            .iter()
            .find(|room| room.id == room_id)
            .map(|room| self.chrome.words.pick(&room.name).to_owned())
            .unwrap_or_else(|| room_id.to_owned())
    }

    fn when(&self, ms: &Option<i64>) -> String {
        match ms {
            Some(ms) => date_and_clock(*ms, self.utc_offset),
            None => self.chrome.t("kiosks.never").into_owned(),
        }
    }

    fn storage(&self, kiosk: &KioskStatus) -> String {
        match (kiosk.storage_used, kiosk.storage_quota) {
            (Some(used), Some(quota)) => format!("{} / {}", bytes(used), bytes(quota)),
            _ => "—".to_owned(),
        }
    }

    fn clock(&self, kiosk: &KioskStatus) -> String {
        let Some(difference) = kiosk.clock_difference_ms else { return "—".to_owned() };
        let seconds = difference.abs() / 1000;
        let amount = if seconds < 120 {
            self.chrome.t_n("kiosks.seconds", seconds)
        } else {
            self.chrome.t_n("kiosks.minutes", (seconds + 30) / 60)
        };
        if seconds < 5 {
            self.chrome.t("kiosks.clock_right").into_owned()
        } else if difference > 0 {
            self.chrome.words.t_n("kiosks.clock_ahead", amount)
        } else {
            self.chrome.words.t_n("kiosks.clock_behind", amount)
        }
    }

    fn clock_is_off(&self, kiosk: &KioskStatus) -> bool {
        kiosk.clock_difference_ms.is_some_and(|difference| difference.abs() > CLOCK_OFF_MS)
    }

    fn problem(&self, kiosk: &KioskStatus) -> String {
        match &kiosk.last_error {
            None => self.chrome.t("kiosks.no_problem").into_owned(),
            Some(name) => self.chrome.t(&format!("kiosks.problem.{name}")).into_owned(),
        }
    }

    fn expires(&self, code: &PairingCode) -> String {
        wall_clock(code.expires_at, self.utc_offset)
    }
}

/// 1.5 MB, as people read storage.
fn bytes(n: i64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{value:.1} {}", UNITS[unit]) }
}

async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    done: Option<&str>,
    code: Option<PairingCode>,
    reason_missing_for: Option<String>,
) -> Result<KiosksPage, ConsoleError> {
    let title = Words::new(signed_in.lang).t("kiosks.title").into_owned();
    let chrome = Chrome::signed_in(state, signed_in, "kiosks", title, "/console/kiosks").await?.with_notice(done);
    let rooms = rooms_of_site(&state.db, signed_in.site_id()).await?;
    let kiosks = service::list(&state.db, signed_in.site_id()).await?;
    let mut page = KiosksPage { chrome, rooms, kiosks, code: None, reason_missing_for, utc_offset: state.utc_offset };
    page.code = code.map(|code| {
        let room = page.room_name(&code.room_id);
        (code, room)
    });
    Ok(page)
}

pub async fn list(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(done): Query<Done>,
) -> Result<Response, ConsoleError> {
    render(&page(&state, &signed_in, done.done.as_deref(), None, None).await?)
}

#[derive(Debug, Deserialize)]
pub struct PairingCodeForm {
    room_id: String,
}

pub async fn make_pairing_code(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<PairingCodeForm>,
) -> Result<Response, ConsoleError> {
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    let code = service::make_pairing_code(
        &state.db,
        &state.secret_key,
        &actor,
        signed_in.site_id(),
        &form.room_id,
        state.pairing_code_minutes,
    )
    .await
    .map_err(|error| match error {
        AppError::NotFound(_) => ConsoleError::NotFound,
        other => other.into(),
    })?;
    // Shown once, on this answer: the server keeps only its HMAC.
    render(&page(&state, &signed_in, None, Some(code), None).await?)
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

pub async fn revoke(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(kiosk_id): Path<String>,
    CheckedForm(form): CheckedForm<RevokeForm>,
) -> Result<Response, ConsoleError> {
    let reason = form.reason.trim();
    if reason.is_empty() {
        let page = page(&state, &signed_in, None, None, Some(kiosk_id)).await?;
        return render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response());
    }
    let actor = Actor::Staff(signed_in.staff_id().to_owned());
    service::revoke(&state.db, &actor, Some(signed_in.site_id()), &kiosk_id, reason).await.map_err(
        |error| match error {
            AppError::NotFound(_) => ConsoleError::NotFound,
            other => other.into(),
        },
    )?;
    Ok(Redirect::to("/console/kiosks?done=kiosk_revoked").into_response())
}
