//! `/console/residents`: find, add, change, give a card, deactivate and bring back; and
//! `/console/uploads`: a residents, activities or weekly-activities file, previewed, then applied.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::input::ResidentInput;
use serde::Deserialize;

use crate::console::auth::forms::{CheckedForm, FORM_TOKEN_FIELD, same_origin, token_matches};
use crate::console::auth::{Editor, Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::form::{Edited, FieldProblem, ServiceError, Shown};
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;
use jiayuan_community::action_log::Actor;
use jiayuan_community::community_time;
use jiayuan_community::schedule::format_day;

use jiayuan_community::office::guardians::{self, OfChild};
use jiayuan_community::office::notices::NoticeOfResident;
use jiayuan_community::office::roster::{self as service, ResidentRow, SignUpOfResident};
use jiayuan_community::office::upload::{self, Kind, Preview, Refused};

pub(super) fn actor(signed_in: &SignedIn) -> Actor {
    Actor::Staff(signed_in.staff_id().to_owned())
}

fn title(signed_in: &SignedIn, key: &str) -> String {
    Words::new(signed_in.lang).t(key).into_owned()
}

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "console/residents.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    found: Vec<ResidentRow>,
    limit: i64,
}

pub async fn search(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<SearchQuery>,
) -> Result<Response, ConsoleError> {
    let found = service::search(&state.db, signed_in.site_id(), &query.q).await?;
    let path = format!("/console/residents?q={}", crate::console::query_escape(&query.q));
    let chrome = Chrome::signed_in(&state, &signed_in, "residents", title(&signed_in, "residents.title"), &path)
        .await?
        .with_notice(query.done.as_deref());
    render(&SearchPage { chrome, q: query.q, found, limit: service::SEARCH_LIMIT })
}

#[derive(Template)]
#[template(path = "console/resident.html")]
struct ResidentPage {
    chrome: Chrome,
    /// None for a new resident.
    resident: Option<ResidentRow>,
    input: ResidentInput,
    revision: i64,
    sign_ups: Vec<SignUpOfResident>,
    /// The changes to their places they were (or are still to be) told of.
    notices: Vec<NoticeOfResident>,
    /// Who may take them home from after-school care, and the children they collect.
    who_collects: OfChild,
    collects: Vec<(String, String)>,
    utc_offset: time::UtcOffset,
    shown: Shown,
    conflict: bool,
}

impl ResidentPage {
    /// How a notice stands: told at a kiosk or by phone (by whom, when), undone, or still to tell.
    fn notice_state(&self, notice: &NoticeOfResident) -> String {
        let at = |ms: i64| jiayuan_community::community_time::date_and_clock(ms, self.utc_offset);
        match (&notice.told_how, notice.told_at) {
            (Some(how), Some(told_at)) => {
                let by = notice.told_by.clone().unwrap_or_default();
                format!("{} · {by} · {}", self.chrome.t(&format!("notice.told.{how}")), at(told_at))
            }
            _ => self.chrome.t("notice.untold").into_owned(),
        }
    }

    fn notice_words(&self, notice: &NoticeOfResident) -> String {
        let when = format!("{} {}", notice.day, notice.starts);
        self.chrome.t_ab(&format!("notice.{}", notice.change_kind), &notice.title, when)
    }

    /// The volunteer box, ticked as the form or the roster says.
    fn volunteer_ticked(&self) -> bool {
        self.input.check().map(|resident| resident.volunteer).unwrap_or(!self.input.volunteer.trim().is_empty())
    }

    fn problem(&self, field: &str) -> Option<&str> {
        self.shown.of(field)
    }

    fn status_words(&self, status: &str) -> String {
        self.chrome.t(&format!("resident.status.{status}")).into_owned()
    }
}

async fn resident_page(
    state: &AppState,
    signed_in: &SignedIn,
    resident: Option<ResidentRow>,
    input: Option<ResidentInput>,
    shown: Shown,
    conflict: bool,
    done: Option<&str>,
) -> Result<ResidentPage, ConsoleError> {
    let (title, path) = match &resident {
        Some(row) => (row.full_name.clone(), format!("/console/residents/{}", row.id)),
        None => (title(signed_in, "resident.new_title"), "/console/residents/new".to_owned()),
    };
    let chrome = Chrome::signed_in(state, signed_in, "residents", title, &path).await?.with_notice(done);
    let today = format_day(community_time::today(state.utc_offset));
    let sign_ups = match &resident {
        Some(row) => service::sign_ups_of(&state.db, &row.id, &today).await?,
        None => Vec::new(),
    };
    let notices = match &resident {
        Some(row) => {
            jiayuan_community::office::notices::of_resident(&state.db, signed_in.site_id(), &row.id, 20).await?
        }
        None => Vec::new(),
    };
    let (who_collects, collects) = match &resident {
        Some(row) => (
            guardians::of_child(&state.db, signed_in.site_id(), &row.id).await?,
            guardians::children_of(&state.db, signed_in.site_id(), &row.id).await?,
        ),
        None => Default::default(),
    };
    let input =
        input.unwrap_or_else(|| resident.as_ref().map(|row| ResidentInput::of(&row.resident())).unwrap_or_default());
    let revision = resident.as_ref().map(|row| row.revision).unwrap_or(0);
    Ok(ResidentPage {
        chrome,
        resident,
        input,
        revision,
        sign_ups,
        notices,
        who_collects,
        collects,
        utc_offset: state.utc_offset,
        shown,
        conflict,
    })
}

pub async fn new_resident(State(state): State<AppState>, Editor(signed_in): Editor) -> Result<Response, ConsoleError> {
    render(&resident_page(&state, &signed_in, None, None, Shown::default(), false, None).await?)
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn resident(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, ConsoleError> {
    let row = service::find(&state.db, signed_in.site_id(), &id).await?;
    render(&resident_page(&state, &signed_in, Some(row), None, Shown::default(), false, query.done.as_deref()).await?)
}

/// The page again after a refused form: problems beside their fields, what was typed kept.
pub(super) async fn refused(
    state: &AppState,
    signed_in: &SignedIn,
    id: Option<&str>,
    input: Option<ResidentInput>,
    error: ServiceError,
) -> Result<Response, ConsoleError> {
    let (shown, conflict) = match error {
        ServiceError::Form(problems) => (Shown::new(&problems, Words::new(signed_in.lang)), false),
        ServiceError::Conflict => (Shown::default(), true),
        other => return Err(other.into()),
    };
    let row = match id {
        Some(id) => Some(service::find(&state.db, signed_in.site_id(), id).await?),
        None => None,
    };
    let page = resident_page(state, signed_in, row, input, shown, conflict, None).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub(super) fn to_resident(id: &str, done: &str) -> Response {
    Redirect::to(&format!("/console/residents/{id}?done={done}")).into_response()
}

pub async fn add(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(input): CheckedForm<ResidentInput>,
) -> Result<Response, ConsoleError> {
    match service::add(&state.db, &actor(&signed_in), signed_in.site_id(), input.clone()).await {
        Ok(id) => Ok(to_resident(&id, "resident_added")),
        Err(error) => refused(&state, &signed_in, None, Some(input), error).await,
    }
}

pub async fn change(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<Edited<ResidentInput>>,
) -> Result<Response, ConsoleError> {
    let revision = form.revision();
    let input = form.input;
    match service::change(&state.db, &actor(&signed_in), signed_in.site_id(), &id, input.clone(), revision).await {
        Ok(()) => Ok(to_resident(&id, "resident_changed")),
        Err(error) => refused(&state, &signed_in, Some(&id), Some(input), error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct CardForm {
    #[serde(default)]
    card_number: String,
}

pub async fn assign_card(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<Edited<CardForm>>,
) -> Result<Response, ConsoleError> {
    let revision = form.revision();
    let card = form.input.card_number;
    match service::assign_card(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &card, revision).await {
        Ok(()) => Ok(to_resident(&id, "card_assigned")),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

async fn set_active(
    state: AppState,
    signed_in: SignedIn,
    id: String,
    reason: String,
    active: bool,
) -> Result<Response, ConsoleError> {
    match service::set_active(&state.db, &actor(&signed_in), signed_in.site_id(), &id, active, &reason).await {
        Ok(()) => Ok(to_resident(&id, if active { "resident_reactivated" } else { "resident_deactivated" })),
        Err(error) => refused(&state, &signed_in, Some(&id), None, error).await,
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ReasonForm>,
) -> Result<Response, ConsoleError> {
    set_active(state, signed_in, id, form.reason, false).await
}

pub async fn reactivate(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ReasonForm>,
) -> Result<Response, ConsoleError> {
    set_active(state, signed_in, id, form.reason, true).await
}

// ---------------------------------------------------------------------------------------------
// Files

#[derive(Template)]
#[template(path = "console/upload.html")]
struct UploadPage {
    chrome: Chrome,
    kind: &'static str,
    preview: Option<Preview>,
    /// Why the file was refused: the words, the line (0: the whole file), the fields.
    refusal: Option<(String, u64, Vec<String>)>,
}

impl UploadPage {
    fn kinds(&self) -> Vec<&'static str> {
        Kind::ALL.iter().map(|kind| kind.name()).collect()
    }

    fn kind_words(&self, kind: &str) -> String {
        self.chrome.t(&format!("upload.kind.{kind}")).into_owned()
    }
}

async fn upload_page(
    state: &AppState,
    signed_in: &SignedIn,
    kind: &'static str,
    preview: Option<Preview>,
    refusal: Option<(String, u64, Vec<String>)>,
) -> Result<UploadPage, ConsoleError> {
    let chrome =
        Chrome::signed_in(state, signed_in, "residents", title(signed_in, "upload.title"), "/console/uploads").await?;
    Ok(UploadPage { chrome, kind, preview, refusal })
}

pub async fn upload_form(State(state): State<AppState>, Editor(signed_in): Editor) -> Result<Response, ConsoleError> {
    render(&upload_page(&state, &signed_in, Kind::Residents.name(), None, None).await?)
}

/// Reads the upload form: its token, the kind of file and the file itself.
async fn read_upload(
    signed_in: &SignedIn,
    headers: &HeaderMap,
    mut multipart: Multipart,
) -> Result<(Kind, String, Vec<u8>), ConsoleError> {
    if !same_origin(headers) {
        return Err(ConsoleError::FormRefused);
    }
    let (mut token, mut kind, mut file) = (String::new(), Kind::Residents, None);
    while let Some(field) = multipart.next_field().await.map_err(|_| ConsoleError::FormRefused)? {
        match field.name().unwrap_or_default() {
            FORM_TOKEN_FIELD => token = field.text().await.map_err(|_| ConsoleError::FormRefused)?,
            "kind" => {
                let name = field.text().await.map_err(|_| ConsoleError::FormRefused)?;
                kind = Kind::parse(&name).unwrap_or(Kind::Residents);
            }
            "file" => {
                let name = field.file_name().unwrap_or("file").to_owned();
                let bytes = field.bytes().await.map_err(|_| ConsoleError::FormRefused)?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    if !token_matches(signed_in, &token) {
        return Err(ConsoleError::FormRefused);
    }
    let (name, bytes) = file.unwrap_or_default();
    Ok((kind, name, bytes))
}

pub async fn receive(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, ConsoleError> {
    let (kind, name, bytes) = read_upload(&signed_in, &headers, multipart).await?;
    let today = community_time::today(state.utc_offset);
    let words = Words::new(signed_in.lang);
    let received = if bytes.is_empty() {
        Err(Refused::File("upload.problem.no_file"))
    } else {
        upload::receive(&state.db, signed_in.staff_id(), signed_in.site_id(), kind, &name, &bytes, today).await
    };
    let (preview, refusal) = match received {
        Ok(preview) => (Some(preview), None),
        Err(refused) => (None, Some(refusal_words(&words, refused)?)),
    };
    let status = if refusal.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = upload_page(&state, &signed_in, kind.name(), preview, refusal).await?;
    render(&page).map(|r| (status, r).into_response())
}

fn refusal_words(words: &Words, refused: Refused) -> Result<(String, u64, Vec<String>), ConsoleError> {
    Ok(match refused {
        Refused::File(key) => (words.t(key).into_owned(), 0, Vec::new()),
        Refused::Row { line, problems, message } => {
            let fields = problems.iter().map(|p: &FieldProblem| format!("{}: {}", p.field, words.t(&p.key))).collect();
            (words.t_n("upload.bad_row", line) + " " + &message, line, fields)
        }
        Refused::Whole(message) => (words.t("upload.problem.whole").into_owned() + " " + &message, 0, Vec::new()),
        Refused::App(error) => return Err(error.into()),
    })
}

#[derive(Debug, Deserialize)]
pub struct Nothing {}

pub async fn apply(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(upload_id): Path<String>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<Response, ConsoleError> {
    let today = community_time::today(state.utc_offset);
    let applied =
        upload::apply(&state.db, &actor(&signed_in), signed_in.staff_id(), signed_in.site_id(), &upload_id, today)
            .await;
    match applied {
        Ok(_) => Ok(Redirect::to("/console/residents?done=file_applied").into_response()),
        Err(refused) => {
            let refusal = refusal_words(&Words::new(signed_in.lang), refused)?;
            let page = upload_page(&state, &signed_in, Kind::Residents.name(), None, Some(refusal)).await?;
            render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
        }
    }
}
