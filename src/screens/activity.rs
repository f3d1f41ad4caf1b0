//! One activity in full, with the one thing the resident can do about it: sign up, join the
//! waiting list, or cancel their sign-up (confirmed on the next screen).

use jiayuan_domain::catalog::Standing;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::day_name;
use crate::i18n::{t_string, use_i18n};
use crate::screens::activity_card::{hours, seat_line};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};
use crate::words::fill;

#[component]
pub fn ActivityDetails(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let resident_id = session.resident_id().unwrap_or_default();
    let Some(activity) = data.catalog.with_untracked(|c| c.activity(&id).cloned()) else {
        // Gone from the schedule since the list was shown (a pull deleted it).
        return view! { <crate::screens::browse::Browse day=crate::clock::local_now().0 page=0 /> }.into_any();
    };
    let standing = data.standing(&resident_id, &id);
    let back = Screen::Browse { day: activity.activity.date, page: 0 };
    let room =
        data.catalog.with_untracked(|c| c.room(&activity.activity.room_id).map(|r| r.name.clone())).unwrap_or_default();
    let language = move || i18n.get_locale();
    let (title_text, host) = (activity.activity.title.clone(), activity.activity.host.clone());
    let title = Signal::derive(move || title_text.get(language()).to_owned());
    let open = activity.activity.is_open_to_all();
    let full = activity.seats_left == Some(0);
    let cancelled = activity.activity.cancelled;
    let prompt = Signal::derive(move || {
        if cancelled {
            return t_string!(i18n, activity_cancelled_prompt).to_string();
        }
        match (standing.holds_or_wants_a_seat(), open, full) {
            (true, _, _) => t_string!(i18n, activity_yours_prompt),
            (false, true, _) => t_string!(i18n, activity_open_prompt),
            (false, false, true) => t_string!(i18n, activity_full_prompt),
            (false, false, false) => t_string!(i18n, activity_sign_up_prompt),
        }
        .to_string()
    });
    let date = activity.activity.date;
    let when = hours(&activity);
    let seats = seat_line(standing, &activity);
    let companions_allowed = activity.activity.companions_allowed;
    // Seats drawn (摇号): entries until the close, then nothing to tap until the draw.
    let draw = activity.draw;
    let action = match standing {
        _ if open || cancelled => None,
        Standing::NotSignedUp if draw.is_some_and(|draw| !draw.takes_entries(crate::clock::now_ms())) => None,
        Standing::NotSignedUp => {
            let id = id.clone();
            let label = move || {
                if draw.is_some() {
                    t_string!(i18n, enter_draw).to_string()
                } else if full {
                    t_string!(i18n, join_waiting_list).to_string()
                } else {
                    t_string!(i18n, sign_up).to_string()
                }
            };
            let on_tap = move || {
                if companions_allowed > 0 {
                    session.go(Screen::Companions(id.clone()));
                } else {
                    actions.sign_up(id.clone(), 0);
                }
            };
            Some(view! { <TapButton class="choice primary" control="sign-up" on_tap=on_tap label=Signal::derive(label) /> }.into_any())
        }
        _ => {
            let id = id.clone();
            Some(view! {
                <TapButton class="choice" control="cancel-sign-up" on_tap=move || session.go(Screen::ConfirmCancel(id.clone())) label=crate::text!(i18n, cancel_sign_up) />
            }.into_any())
        }
    };
    view! {
        <ScreenFrame class="activity" title=title prompt=prompt back=back>
            <ul class="details">
                <li class="detail-when">{Signal::derive(move || format!("{} {when}", day_name(date, language())))}</li>
                <li>{Signal::derive(move || fill(t_string!(i18n, place), &[("room", room.get(language()).to_owned())]))}</li>
                <li>{Signal::derive(move || fill(t_string!(i18n, led_by), &[("host", host.get(language()).to_owned())]))}</li>
                <li class="detail-seats">{Signal::derive(seats)}</li>
            </ul>
            <div class="choices">{action}</div>
        </ScreenFrame>
    }
    .into_any()
}
