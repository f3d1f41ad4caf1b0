//! `/console/schedule`: the week per room, a session with its sign-ups, adding and changing
//! activities and recurring activities, cancelling and restoring one session.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiayuan_domain::input::{ActivityInput, RecurringInput};
use jiayuan_domain::schedule::{RecurringActivity, Room};
use serde::Deserialize;
use time::{Date, Duration};

use crate::console::auth::forms::CheckedForm;
use crate::console::auth::{Editor, Reader, SignedIn};
use crate::console::error::ConsoleError;
use crate::console::form::{Edited, ServiceError, Shown};
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::{query_escape, render};
use crate::state::AppState;
use jiayuan_community::action_log::Actor;
use jiayuan_community::community_time;
use jiayuan_community::office::roster::{self as roster, ResidentRow};
use jiayuan_community::office::sign_ups::{self as sign_ups, SessionList};
use jiayuan_community::recurring::SessionChanges;
use jiayuan_community::schedule::{SessionRow, format_day, format_time, parse_day};

use jiayuan_community::office::schedule::{self as service, Week};

fn actor(signed_in: &SignedIn) -> Actor {
    Actor::Staff(signed_in.staff_id().to_owned())
}

fn title(signed_in: &SignedIn, key: &str) -> String {
    Words::new(signed_in.lang).t(key).into_owned()
}

/// Rooms by id, named in the page's language.
fn room_name(rooms: &[Room], words: &Words, room_id: &str) -> String {
    rooms
        .iter()
        .find(|room| room.id == room_id)
        .map(|room| words.pick(&room.name).to_owned())
        .unwrap_or_else(|| room_id.to_owned())
}

// ---------------------------------------------------------------------------------------------
// The week

#[derive(Debug, Default, Deserialize)]
pub struct WeekQuery {
    #[serde(default)]
    room: String,
    /// Any day of the week to show.
    #[serde(default)]
    week: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "console/schedule_week.html")]
struct WeekPage {
    chrome: Chrome,
    week: Week,
    room: String,
    today: Date,
    previous: String,
    next: String,
}

/// One column of the week.
struct Day<'a> {
    date: Date,
    sessions: Vec<&'a SessionRow>,
}

impl WeekPage {
    fn days(&self) -> Vec<Day<'_>> {
        (0..7)
            .map(|offset| {
                let date = self.week.monday + Duration::days(offset);
                Day { date, sessions: self.week.sessions.iter().filter(|s| s.activity.date == date).collect() }
            })
            .collect()
    }

    fn day_heading(&self, date: &Date) -> String {
        let key = format!("week.{}", date.weekday().number_days_from_monday());
        format!("{} {}", self.chrome.t(&key), format_day(*date))
    }

    fn hours(&self, session: &&SessionRow) -> String {
        format!("{}–{}", format_time(session.activity.starts), format_time(session.activity.ends))
    }

    fn room_of(&self, session: &&SessionRow) -> String {
        room_name(&self.week.rooms, &self.chrome.words, &session.activity.room_id)
    }

    fn seats(&self, session: &&SessionRow) -> String {
        match session.activity.capacity {
            Some(capacity) => format!("{} / {capacity}", session.seats_taken),
            None => self.chrome.t("session.open_to_all").into_owned(),
        }
    }
}

pub async fn week(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<WeekQuery>,
) -> Result<Response, ConsoleError> {
    let today = community_time::today(state.utc_offset);
    let day = parse_day(&query.week).unwrap_or(today);
    let room = Some(query.room.as_str()).filter(|r| !r.is_empty());
    let week = service::week(&state.db, signed_in.site_id(), room, day).await?;
    let link =
        |monday: Date| format!("/console/schedule?week={}&room={}", format_day(monday), query_escape(&query.room));
    let path = link(week.monday);
    let chrome = Chrome::signed_in(&state, &signed_in, "schedule", title(&signed_in, "schedule.title"), &path)
        .await?
        .with_notice(query.done.as_deref());
    render(&WeekPage {
        chrome,
        previous: link(week.monday - Duration::days(7)),
        next: link(week.monday + Duration::days(7)),
        room: query.room,
        today,
        week,
    })
}

// ---------------------------------------------------------------------------------------------
// One session

#[derive(Debug, Default, Deserialize)]
pub struct SessionQuery {
    /// A search for a resident to sign up.
    #[serde(default)]
    q: String,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "console/session.html")]
struct SessionPage {
    chrome: Chrome,
    session: SessionRow,
    room: String,
    list: SessionList,
    q: String,
    found: Vec<ResidentRow>,
    /// Problems with the last form on this page (cancel's reason, a move's reason).
    shown: Shown,
    /// The sign-up just made on a resident's behalf, in words.
    decision: Option<String>,
    /// When its seats are drawn (摇号).
    draw: Option<super::draw::DrawView>,
    /// After-school care: the children dropped off and not picked up.
    in_room: Vec<super::handover::InRoomView>,
    /// Where the room's list sends staff back to after a check-out.
    back: &'static str,
}

impl SessionPage {
    /// Residents with a seat not yet checked in: what a paper sheet's ticks may add.
    fn not_checked_in(&self) -> Vec<&jiayuan_community::office::sign_ups::Place> {
        let came = |id: &str| self.list.checked_in.iter().any(|(checked, _)| checked == id);
        self.list.confirmed.iter().filter(|place| !came(&place.resident_id)).collect()
    }

    fn hours(&self) -> String {
        format!(
            "{} {}–{}",
            format_day(self.session.activity.date),
            format_time(self.session.activity.starts),
            format_time(self.session.activity.ends)
        )
    }

    fn companion_choices(&self) -> Vec<u8> {
        jiayuan_domain::seats::companion_choices(self.session.activity.companions_allowed).collect()
    }

    /// A draw may be set or moved until it is made.
    fn may_set_draw(&self) -> bool {
        self.draw.as_ref().is_none_or(|draw| draw.drawn.is_none())
    }

    fn is_signed_up(&self, resident_id: &str) -> bool {
        self.list.confirmed.iter().chain(&self.list.waiting).any(|place| place.resident_id == resident_id)
    }
}

async fn session_page(
    state: &AppState,
    signed_in: &SignedIn,
    id: &str,
    q: String,
    done: Option<&str>,
    shown: Shown,
    decision: Option<String>,
) -> Result<SessionPage, ConsoleError> {
    let session = service::session(&state.db, signed_in.site_id(), id).await?;
    let words = Words::new(signed_in.lang);
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let room = room_name(&rooms, &words, &session.activity.room_id);
    let list = sign_ups::list(&state.db, id).await?;
    let found = roster::search(&state.db, signed_in.site_id(), &q).await?;
    let title = words.pick(&session.activity.title).to_owned();
    let path = format!("/console/schedule/sessions/{id}");
    let chrome = Chrome::signed_in(state, signed_in, "schedule", title, &path).await?.with_notice(done);
    let draw = jiayuan_community::office::draws::of_session(&state.db, signed_in.site_id(), id)
        .await?
        .map(|facts| super::draw::DrawView::new(&facts, session.activity.capacity, state.utc_offset));
    let in_room = jiayuan_community::office::handover::of_session(
        &state.db,
        signed_in.site_id(),
        id,
        jiayuan_community::clock::now_ms(),
        state.utc_offset,
    )
    .await?;
    let in_room = super::handover::views(in_room, state.utc_offset);
    Ok(SessionPage { chrome, session, room, list, q, found, shown, decision, draw, in_room, back: "session" })
}

pub async fn session(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Path(id): Path<String>,
    Query(query): Query<SessionQuery>,
) -> Result<Response, ConsoleError> {
    let page = session_page(&state, &signed_in, &id, query.q, query.done.as_deref(), Shown::default(), None).await?;
    render(&page)
}

/// A refused form on the session page: the page again with the problem beside its field.
pub(super) async fn session_refused(
    state: &AppState,
    signed_in: &SignedIn,
    id: &str,
    error: ServiceError,
) -> Result<Response, ConsoleError> {
    let ServiceError::Form(problems) = error else { return Err(error.into()) };
    let shown = Shown::new(&problems, Words::new(signed_in.lang));
    let page = session_page(state, signed_in, id, String::new(), None, shown, None).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

fn to_session(id: &str, done: &str) -> Response {
    Redirect::to(&format!("/console/schedule/sessions/{id}?done={done}")).into_response()
}

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    reason: String,
}

pub async fn cancel_session(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<ReasonForm>,
) -> Result<Response, ConsoleError> {
    match service::cancel_session(&state.db, &actor(&signed_in), signed_in.site_id(), &id, &form.reason).await {
        Ok(()) => Ok(to_session(&id, "session_cancelled")),
        Err(error) => session_refused(&state, &signed_in, &id, error).await,
    }
}

pub async fn restore_session(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<ReasonForm>,
) -> Result<Response, ConsoleError> {
    service::restore_session(&state.db, &actor(&signed_in), signed_in.site_id(), &id).await?;
    Ok(to_session(&id, "session_restored"))
}

pub async fn remove_session(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<ReasonForm>,
) -> Result<Response, ConsoleError> {
    match service::remove_activity(&state.db, &actor(&signed_in), signed_in.site_id(), &id).await {
        Ok(()) => Ok(Redirect::to("/console/schedule?done=session_removed").into_response()),
        Err(error) => session_refused(&state, &signed_in, &id, error).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Adding and changing a one-off activity

#[derive(Template)]
#[template(path = "console/activity_form.html")]
struct ActivityFormPage {
    chrome: Chrome,
    rooms: Vec<Room>,
    input: ActivityInput,
    /// None for a new activity.
    editing: Option<String>,
    revision: i64,
    shown: Shown,
    conflict: bool,
}

impl ActivityFormPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.shown.of(field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    room: String,
    #[serde(default)]
    date: String,
}

async fn activity_form(
    state: &AppState,
    signed_in: &SignedIn,
    input: ActivityInput,
    editing: Option<String>,
    revision: i64,
    shown: Shown,
    conflict: bool,
) -> Result<ActivityFormPage, ConsoleError> {
    let key = if editing.is_some() { "schedule.edit_title" } else { "schedule.new_title" };
    let path = match &editing {
        Some(id) => format!("/console/schedule/sessions/{id}/edit"),
        None => "/console/schedule/sessions/new".to_owned(),
    };
    let chrome = Chrome::signed_in(state, signed_in, "schedule", title(signed_in, key), &path).await?;
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    Ok(ActivityFormPage { chrome, rooms, input, editing, revision, shown, conflict })
}

pub async fn new_activity(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Query(query): Query<NewQuery>,
) -> Result<Response, ConsoleError> {
    let input = ActivityInput {
        room_id: query.room,
        date: query.date,
        companions_allowed: "0".into(),
        ..ActivityInput::default()
    };
    render(&activity_form(&state, &signed_in, input, None, 0, Shown::default(), false).await?)
}

pub async fn edit_activity(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
) -> Result<Response, ConsoleError> {
    let session = service::session(&state.db, signed_in.site_id(), &id).await?;
    let input = ActivityInput::of(&session.activity);
    render(&activity_form(&state, &signed_in, input, Some(id), session.revision, Shown::default(), false).await?)
}

async fn refused_activity(
    state: &AppState,
    signed_in: &SignedIn,
    input: ActivityInput,
    editing: Option<String>,
    revision: i64,
    error: ServiceError,
) -> Result<Response, ConsoleError> {
    let (shown, conflict, revision) = match error {
        ServiceError::Form(problems) => (Shown::new(&problems, Words::new(signed_in.lang)), false, revision),
        // Shown with what this staff member typed; saving again overwrites the other change
        // knowingly, from the revision now stored.
        ServiceError::Conflict => {
            let id = editing.as_deref().unwrap_or_default();
            let now = service::session(&state.db, signed_in.site_id(), id).await?.revision;
            (Shown::default(), true, now)
        }
        other => return Err(other.into()),
    };
    let page = activity_form(state, signed_in, input, editing, revision, shown, conflict).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

pub async fn add_activity(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<ActivityInput>,
) -> Result<Response, ConsoleError> {
    match service::add_activity(&state.db, &actor(&signed_in), signed_in.site_id(), form.clone()).await {
        Ok(id) => Ok(to_session(&id, "activity_added")),
        Err(error) => refused_activity(&state, &signed_in, form, None, 0, error).await,
    }
}

pub async fn change_activity(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<Edited<ActivityInput>>,
) -> Result<Response, ConsoleError> {
    let revision = form.revision();
    let input = form.input;
    match service::change_activity(&state.db, &actor(&signed_in), signed_in.site_id(), &id, input.clone(), revision)
        .await
    {
        Ok(()) => Ok(to_session(&id, "activity_changed")),
        Err(error) => refused_activity(&state, &signed_in, input, Some(id), revision, error).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Recurring activities

#[derive(Template)]
#[template(path = "console/recurring_list.html")]
struct RecurringListPage {
    chrome: Chrome,
    rooms: Vec<Room>,
    recurring: Vec<(RecurringActivity, i64)>,
    today: Date,
    /// Sessions kept after a change because residents signed up (for staff to cancel).
    kept: Vec<String>,
}

impl RecurringListPage {
    fn room_of(&self, activity: &RecurringActivity) -> String {
        room_name(&self.rooms, &self.chrome.words, &activity.room_id)
    }

    fn days(&self, activity: &RecurringActivity) -> String {
        days_in_words(&self.chrome.words, activity)
    }

    fn hours(&self, activity: &RecurringActivity) -> String {
        format!("{}–{}", format_time(activity.starts), format_time(activity.ends))
    }

    fn ended(&self, activity: &RecurringActivity) -> bool {
        activity.last_day.is_some_and(|last| last < self.today)
    }

    fn period(&self, activity: &RecurringActivity) -> String {
        match activity.last_day {
            Some(last) => format!("{} – {}", format_day(activity.first_day), format_day(last)),
            None => self.chrome.t_n("recurring.from", format_day(activity.first_day)),
        }
    }
}

/// "周一、周三、周五" or "Mon, Wed, Fri".
fn days_in_words(words: &Words, activity: &RecurringActivity) -> String {
    let separator = if words.lang == crate::console::i18n::Lang::En { ", " } else { "、" };
    (0..7u8)
        .filter(|n| activity.weekdays.contains(weekday(*n)))
        .map(|n| words.t(&format!("week.{n}")).into_owned())
        .collect::<Vec<_>>()
        .join(separator)
}

fn weekday(days_from_monday: u8) -> time::Weekday {
    let mut day = time::Weekday::Monday;
    for _ in 0..days_from_monday {
        day = day.next();
    }
    day
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    done: Option<String>,
    /// Sessions kept, comma-separated (after a change).
    #[serde(default)]
    kept: String,
}

pub async fn recurring_list(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ListQuery>,
) -> Result<Response, ConsoleError> {
    let chrome = Chrome::signed_in(
        &state,
        &signed_in,
        "schedule",
        title(&signed_in, "recurring.title"),
        "/console/schedule/recurring",
    )
    .await?
    .with_notice(query.done.as_deref());
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let recurring = service::recurring_activities(&state.db, signed_in.site_id()).await?;
    let kept = query.kept.split(',').filter(|id| !id.is_empty()).map(str::to_owned).collect();
    render(&RecurringListPage { chrome, rooms, recurring, today: community_time::today(state.utc_offset), kept })
}

#[derive(Template)]
#[template(path = "console/recurring_form.html")]
struct RecurringFormPage {
    chrome: Chrome,
    rooms: Vec<Room>,
    input: RecurringInput,
    /// The days ticked, Monday first.
    ticked: [bool; 7],
    editing: Option<String>,
    revision: i64,
    shown: Shown,
    conflict: bool,
}

impl RecurringFormPage {
    fn problem(&self, field: &str) -> Option<&str> {
        self.shown.of(field)
    }

    fn day_name(&self, n: &usize) -> String {
        self.chrome.t(&format!("week.{n}")).into_owned()
    }
}

/// The days a recurring form ticks, from the activity's weekdays text.
fn ticked(weekdays: &str) -> [bool; 7] {
    let parsed = jiayuan_domain::schedule::Weekdays::parse(weekdays);
    std::array::from_fn(|n| parsed.is_some_and(|days| days.contains(weekday(n as u8))))
}

/// A recurring activity's form as posted: the fields, and one checkbox per day (`day_0` is
/// Monday), which become the same weekdays text a file would have.
#[derive(Debug, Deserialize)]
pub struct RecurringForm {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    day_0: String,
    #[serde(default)]
    day_1: String,
    #[serde(default)]
    day_2: String,
    #[serde(default)]
    day_3: String,
    #[serde(default)]
    day_4: String,
    #[serde(default)]
    day_5: String,
    #[serde(default)]
    day_6: String,
    #[serde(flatten)]
    input: RecurringInput,
}

impl RecurringForm {
    fn into_input(self) -> (RecurringInput, i64) {
        const NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let ticked = [&self.day_0, &self.day_1, &self.day_2, &self.day_3, &self.day_4, &self.day_5, &self.day_6];
        let days: Vec<&str> =
            NAMES.iter().zip(ticked).filter(|(_, value)| !value.is_empty()).map(|(name, _)| *name).collect();
        let revision = self.revision.trim().parse().unwrap_or(-1);
        (RecurringInput { weekdays: days.join(","), ..self.input }, revision)
    }
}

async fn recurring_form(
    state: &AppState,
    signed_in: &SignedIn,
    input: RecurringInput,
    editing: Option<String>,
    revision: i64,
    shown: Shown,
    conflict: bool,
) -> Result<RecurringFormPage, ConsoleError> {
    let key = if editing.is_some() { "recurring.edit_title" } else { "recurring.new_title" };
    let path = match &editing {
        Some(id) => format!("/console/schedule/recurring/{id}/edit"),
        None => "/console/schedule/recurring/new".to_owned(),
    };
    let chrome = Chrome::signed_in(state, signed_in, "schedule", title(signed_in, key), &path).await?;
    let rooms = jiayuan_community::schedule::rooms_of_site(&state.db, signed_in.site_id()).await?;
    let ticked = ticked(&input.weekdays);
    Ok(RecurringFormPage { chrome, rooms, input, ticked, editing, revision, shown, conflict })
}

pub async fn new_recurring(State(state): State<AppState>, Editor(signed_in): Editor) -> Result<Response, ConsoleError> {
    let input = RecurringInput { companions_allowed: "0".into(), ..RecurringInput::default() };
    render(&recurring_form(&state, &signed_in, input, None, 0, Shown::default(), false).await?)
}

pub async fn edit_recurring(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
) -> Result<Response, ConsoleError> {
    let (activity, revision) = service::recurring_activity(&state.db, signed_in.site_id(), &id).await?;
    let input = RecurringInput::of(&activity);
    render(&recurring_form(&state, &signed_in, input, Some(id), revision, Shown::default(), false).await?)
}

async fn refused_recurring(
    state: &AppState,
    signed_in: &SignedIn,
    input: RecurringInput,
    editing: Option<String>,
    revision: i64,
    error: ServiceError,
) -> Result<Response, ConsoleError> {
    let (shown, conflict, revision) = match error {
        ServiceError::Form(problems) => (Shown::new(&problems, Words::new(signed_in.lang)), false, revision),
        ServiceError::Conflict => {
            let id = editing.as_deref().unwrap_or_default();
            let (_, now) = service::recurring_activity(&state.db, signed_in.site_id(), id).await?;
            (Shown::default(), true, now)
        }
        other => return Err(other.into()),
    };
    let page = recurring_form(state, signed_in, input, editing, revision, shown, conflict).await?;
    render(&page).map(|r| (StatusCode::UNPROCESSABLE_ENTITY, r).into_response())
}

fn to_recurring_list(done: &str, changes: &SessionChanges) -> Response {
    let kept = changes.kept.iter().map(|id| query_escape(id)).collect::<Vec<_>>().join(",");
    Redirect::to(&format!("/console/schedule/recurring?done={done}&kept={kept}")).into_response()
}

pub async fn add_recurring(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    CheckedForm(form): CheckedForm<RecurringForm>,
) -> Result<Response, ConsoleError> {
    let (input, _) = form.into_input();
    let today = community_time::today(state.utc_offset);
    match service::add_recurring(&state.db, &actor(&signed_in), signed_in.site_id(), input.clone(), today).await {
        Ok((_, changes)) => Ok(to_recurring_list("recurring_added", &changes)),
        Err(error) => refused_recurring(&state, &signed_in, input, None, 0, error).await,
    }
}

pub async fn change_recurring(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<RecurringForm>,
) -> Result<Response, ConsoleError> {
    let (input, revision) = form.into_input();
    let today = community_time::today(state.utc_offset);
    let changed = service::change_recurring(
        &state.db,
        &actor(&signed_in),
        signed_in.site_id(),
        &id,
        input.clone(),
        revision,
        today,
    )
    .await;
    match changed {
        Ok(changes) => Ok(to_recurring_list("recurring_changed", &changes)),
        Err(error) => refused_recurring(&state, &signed_in, input, Some(id), revision, error).await,
    }
}

pub async fn end_recurring(
    State(state): State<AppState>,
    Editor(signed_in): Editor,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<Edited<ReasonForm>>,
) -> Result<Response, ConsoleError> {
    let today = community_time::today(state.utc_offset);
    let revision = form.revision();
    let changes =
        service::end_recurring(&state.db, &actor(&signed_in), signed_in.site_id(), &id, revision, today).await?;
    Ok(to_recurring_list("recurring_ended", &changes))
}
