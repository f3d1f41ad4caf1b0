//! The big, spoken result after every action, shown only once its record is saved. A sign-up
//! shows where the resident stands as it changes: waiting to be confirmed until the server's
//! answer arrives, then a seat or a waiting-list number. Back to the menu by itself after a
//! while, or at once with a tap.

use std::time::Duration;

use jiayuan_domain::catalog::Standing;
use jiayuan_domain::time_bank::hours_text;
use leptos::prelude::*;

use crate::clock::time_of;
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{Confirmation, LocalData, Screen, Session};
use crate::words::fill;

/// Long enough to hear the whole confirmation spoken slowly, and read it twice.
const SHOWN_FOR: Duration = Duration::from_secs(12);

#[component]
pub fn ConfirmationScreen(confirmation: Confirmation) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let resident_id = session.resident_id().unwrap_or_default();
    let volunteer = resident_id.clone();
    let visitor = confirmation == Confirmation::Visitor;
    let next = move || if visitor { session.forget() } else { session.go(Screen::Menu) };
    if let Ok(timer) = set_timeout_with_handle(next, SHOWN_FOR) {
        on_cleanup(move || timer.clear());
    }

    let activity_title = {
        let id = match &confirmation {
            Confirmation::CheckedIn { activity_id }
            | Confirmation::ServiceStarted { activity_id }
            | Confirmation::SignedUp { activity_id }
            | Confirmation::Cancelled { activity_id } => Some(activity_id.clone()),
            _ => None,
        };
        let title = id
            .and_then(|id| data.catalog.with_untracked(|c| c.activity(&id).map(|a| a.activity.title.clone())))
            .unwrap_or_default();
        move || title.get(i18n.get_locale()).to_owned()
    };
    // A volunteer hears their hours after each tap of service: the server's count as last
    // pulled, and apart what this kiosk has not had counted yet.
    let hours = move || {
        let hours = data.hours(&volunteer);
        let mut said = fill(t_string!(i18n, my_hours), &[("hours", hours_text(hours.shown))]);
        if hours.not_yet_counted > 0 {
            said += &fill(t_string!(i18n, not_yet_counted), &[("hours", hours_text(hours.not_yet_counted))]);
        }
        said
    };
    // When the draw of an activity the resident entered will be: the confirmation says so.
    let draws_at =
        move |id: &str| data.catalog.with_untracked(|c| c.activity(id).and_then(|a| a.draw).map(|d| d.draws_at));
    let texts = move || -> (String, String) {
        let title = activity_title();
        match &confirmation {
            Confirmation::SignedIn { at } => (
                t_string!(i18n, signed_in_title).to_string(),
                fill(t_string!(i18n, signed_in_prompt), &[("time", (time_of(*at)).to_string())]),
            ),
            Confirmation::AlreadySignedIn { at } => (
                t_string!(i18n, already_signed_in_title).to_string(),
                fill(t_string!(i18n, already_signed_in_prompt), &[("time", (time_of(*at)).to_string())]),
            ),
            Confirmation::CheckedIn { .. } => (
                t_string!(i18n, checked_in_title).to_string(),
                fill(t_string!(i18n, enjoy), &[("title", (title).to_string())]),
            ),
            Confirmation::SignedUp { activity_id } => {
                match (data.standing(&resident_id, activity_id), draws_at(activity_id)) {
                    (Standing::Entered { .. } | Standing::WaitingToBeConfirmed { .. }, Some(at)) => (
                        t_string!(i18n, entered_title).to_string(),
                        fill(
                            t_string!(i18n, entered_prompt),
                            &[
                                ("title", title),
                                ("time", crate::clock::long_date(at as f64, i18n.get_locale()) + " " + &time_of(at)),
                            ],
                        ),
                    ),
                    (Standing::Confirmed { .. }, _) => (
                        t_string!(i18n, confirmed_title).to_string(),
                        fill(t_string!(i18n, confirmed_prompt), &[("title", (title).to_string())]),
                    ),
                    (Standing::Waitlisted { position, .. }, _) => (
                        fill(t_string!(i18n, waitlisted_title), &[("position", (position).to_string())]),
                        fill(t_string!(i18n, waitlisted_prompt), &[("title", (title).to_string())]),
                    ),
                    // Not yet answered (or answered and pulled a moment later): honest either way.
                    _ => (
                        t_string!(i18n, pending_title).to_string(),
                        fill(t_string!(i18n, pending_prompt), &[("title", (title).to_string())]),
                    ),
                }
            }
            Confirmation::Cancelled { .. } => (
                t_string!(i18n, cancelled_title).to_string(),
                fill(t_string!(i18n, cancelled_prompt), &[("title", (title).to_string())]),
            ),
            Confirmation::Visitor => {
                (t_string!(i18n, visitor_title).to_string(), t_string!(i18n, visitor_prompt).to_string())
            }
            Confirmation::ServiceStarted { .. } => (
                t_string!(i18n, service_started_title).to_string(),
                fill(t_string!(i18n, service_started_prompt), &[("title", title)]) + &hours(),
            ),
            Confirmation::HandedOver { picking_up, children } => {
                let names: Vec<String> = data.catalog.with_untracked(|catalog| {
                    children.iter().filter_map(|id| catalog.resident(id)).map(|c| c.display_name.clone()).collect()
                });
                let (title, prompt) = match picking_up {
                    true => (t_string!(i18n, picked_up_title), t_string!(i18n, picked_up_prompt)),
                    false => (t_string!(i18n, dropped_off_title), t_string!(i18n, dropped_off_prompt)),
                };
                (fill(title, &[("names", names.join("、"))]), prompt.to_string())
            }
            Confirmation::ServiceEnded { half_hours } => (
                t_string!(i18n, service_ended_title).to_string(),
                fill(t_string!(i18n, service_ended_prompt), &[("hours", hours_text(*half_hours))]) + &hours(),
            ),
        }
    };
    let texts = Memo::new(move |_| texts());
    let button = move || {
        if visitor {
            view! { <TapButton class="choice primary" control="finish" on_tap=move || session.forget() label=crate::text!(i18n, done) /> }.into_any()
        } else {
            view! { <TapButton class="choice primary" control="something-else" on_tap=move || session.go(Screen::Menu) label=crate::text!(i18n, something_else) /> }.into_any()
        }
    };
    view! {
        <ScreenFrame
            class="confirmation"
            title=Signal::derive(move || texts.get().0)
            prompt=Signal::derive(move || texts.get().1)
        >
            <p class="tick" aria-hidden="true">"✓"</p>
            <div class="choices">{button}</div>
        </ScreenFrame>
    }
}
