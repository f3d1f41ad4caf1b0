//! How an activity reads wherever it is listed: time, title, room, host, and either the seats
//! left as last known or where the resident stands. Words as well as colour, always.

use jiayuan_domain::catalog::Standing;
use jiayuan_domain::sync::pull::ScheduledActivity;
use leptos::prelude::*;

use crate::clock::hour_minute;
use crate::i18n::{t_string, use_i18n};
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};
use crate::words::fill;

/// "09:00–10:30".
pub fn hours(activity: &ScheduledActivity) -> String {
    format!("{}–{}", hour_minute(activity.activity.starts), hour_minute(activity.activity.ends))
}

/// The seat line: the resident's standing when they have one, else the seats left.
pub fn seat_line(standing: Standing, activity: &ScheduledActivity) -> impl Fn() -> String + Send + Sync + use<> {
    let i18n = use_i18n();
    let capacity = activity.activity.capacity;
    let seats_left = activity.seats_left;
    let cancelled = activity.activity.cancelled;
    let draw = activity.draw.is_some();
    move || match standing {
        _ if cancelled => t_string!(i18n, activity_cancelled).to_string(),
        Standing::Confirmed { .. } => t_string!(i18n, status_confirmed).to_string(),
        Standing::Waitlisted { position, .. } => {
            fill(t_string!(i18n, status_waitlisted), &[("position", (position).to_string())])
        }
        Standing::WaitingToBeConfirmed { .. } if draw => t_string!(i18n, status_entered).to_string(),
        Standing::Entered { .. } => t_string!(i18n, status_entered).to_string(),
        Standing::WaitingToBeConfirmed { .. } => t_string!(i18n, status_pending).to_string(),
        Standing::NotSignedUp => match (capacity, seats_left) {
            (None, _) => t_string!(i18n, open_to_all).to_string(),
            (Some(_), Some(0)) => t_string!(i18n, full).to_string(),
            (Some(capacity), left) => {
                fill(t_string!(i18n, seats_left), &[("count", (left.unwrap_or(capacity)).to_string())])
            }
        },
    }
}

/// An activity as a big button that goes to `to` when tapped.
#[component]
pub fn ActivityCard(activity: ScheduledActivity, resident_id: String, to: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let control = format!("card-{}", activity.activity.id);
    let standing = data.standing(&resident_id, &activity.activity.id);
    let room_name =
        data.catalog.with_untracked(|c| c.room(&activity.activity.room_id).map(|r| r.name.clone())).unwrap_or_default();
    let title = activity.activity.title.clone();
    let host = activity.activity.host.clone();
    let language = move || i18n.get_locale();
    let seats = seat_line(standing, &activity);
    let cancelled = activity.activity.cancelled;
    view! {
        <TapButton class="card" control=control on_tap=move || session.go(to.clone())>
        <span class="card-heading">
            <span class="card-time">{hours(&activity)}</span>
            <span class="card-title">{Signal::derive(move || title.get(language()).to_owned())}</span>
        </span>
        <span class="card-place">{Signal::derive(move || format!("{} · {}", room_name.get(language()), host.get(language())))}</span>
        <span class="card-seats" class:mine=standing.holds_or_wants_a_seat() class:cancelled=cancelled>{Signal::derive(seats)}</span>
        </TapButton>
    }
}
