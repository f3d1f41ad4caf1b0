//! Told once (待通知): a change to the resident's place that someone else made — moved up from
//! the waiting list, a session cancelled or back on — said and spoken before anything else,
//! with one tap to go on. Works offline from what the last pull brought.

use jiayuan_domain::notices::{Change, ToTell};
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{day_name, hour_minute, local_at, local_now};
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::words::fill;

#[component]
pub fn Tell(notice: ToTell) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions::use_context();
    let (day, starts) = local_at(notice.starts_at as f64);
    let change = notice.change;
    let what = Signal::derive({
        let title = notice.title.clone();
        move || title.get(i18n.get_locale()).to_owned()
    });
    let day_words = move || {
        if day == local_now().0 { t_string!(i18n, today_label).to_string() } else { day_name(day, i18n.get_locale()) }
    };
    let title = Signal::derive(move || {
        let words = match change {
            Change::MovedUp => t_string!(i18n, tell_moved_up),
            Change::Cancelled => t_string!(i18n, tell_cancelled),
            Change::Restored => t_string!(i18n, tell_restored),
            Change::Drawn => t_string!(i18n, tell_drawn),
            Change::NotDrawn => t_string!(i18n, tell_not_drawn),
            Change::EnteredLate => t_string!(i18n, tell_entered_late),
        };
        fill(words, &[("title", what.get()), ("day", day_words()), ("time", hour_minute(starts))])
    });
    let prompt = Signal::derive(move || {
        match change {
            Change::MovedUp => t_string!(i18n, tell_moved_up_prompt),
            Change::Cancelled => t_string!(i18n, tell_cancelled_prompt),
            Change::Restored => t_string!(i18n, tell_restored_prompt),
            Change::Drawn => t_string!(i18n, tell_moved_up_prompt_short),
            Change::NotDrawn | Change::EnteredLate => t_string!(i18n, tell_waiting_prompt),
        }
        .to_string()
    });
    let class = if matches!(change, Change::Cancelled | Change::NotDrawn | Change::EnteredLate) {
        "tell sorry"
    } else {
        "tell good-news"
    };
    // The activity and its hour again, as large as the screen allows: what they came to know.
    let when = move || format!("{} {}", day_words(), hour_minute(starts));
    let id = notice.id;
    view! {
        <ScreenFrame class=class title=title prompt=prompt>
            <div class="notice-card" aria-hidden="true">
                <p class="what">{what}</p>
                <p class="when">{when}</p>
            </div>
            <div class="choices">
                <TapButton class="choice primary" control="told" on_tap=move || actions.told(id.clone()) label=crate::text!(i18n, got_it) />
            </div>
        </ScreenFrame>
    }
}
