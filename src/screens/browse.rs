//! Today's and the next seven days' activities: first a day, then an activity. No scrolling
//! (a swipe): a long day is shown a page at a time with big Next and Previous buttons.

use leptos::prelude::*;
use time::{Date, Duration};

use crate::clock::short_day;
use crate::i18n::{t_string, use_i18n};
use crate::screens::activity_card::ActivityCard;
use crate::screens::frame::ScreenFrame;
use crate::screens::pager::{PER_PAGE, Pager, pages};
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};

pub const DAYS_AHEAD: i64 = 7;

#[component]
pub fn Browse(day: Date, page: usize) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let resident_id = session.resident_id().unwrap_or_default();
    let today = crate::clock::local_now().0;

    let day_buttons = (0..=DAYS_AHEAD)
        .filter_map(|offset| today.checked_add(Duration::days(offset)))
        .map(|date| {
            let label = move || match (date - today).whole_days() {
                0 => t_string!(i18n, today_label).to_string(),
                1 => t_string!(i18n, tomorrow_label).to_string(),
                _ => short_day(date, i18n.get_locale()),
            };
            let control = format!("day-{date}");
            view! {
                <TapButton class="day" control=control pressed=Signal::stored(date == day) on_tap=move || session.go(Screen::Browse { day: date, page: 0 }) label=Signal::derive(label) />
            }
        })
        .collect_view();

    let activities: Vec<_> = data.catalog.with_untracked(|c| c.day(day).cloned().collect());
    let nothing = activities.is_empty();
    let pages = pages(activities.len());
    let page = page.min(pages - 1);
    let cards = activities
        .into_iter()
        .skip(page * PER_PAGE)
        .take(PER_PAGE)
        .map(|activity| {
            let to = Screen::Activity(activity.activity.id.clone());
            view! { <ActivityCard activity=activity resident_id=resident_id.clone() to=to /> }
        })
        .collect_view();
    let empty = crate::text!(i18n, no_activities);
    let to = |page, here: &Screen| match here {
        Screen::Browse { day, .. } => Screen::Browse { day: *day, page },
        other => other.clone(),
    };
    view! {
        <ScreenFrame
            class="browse"
            title=Signal::derive(move || t_string!(i18n, browse_title).to_string())
            prompt=Signal::derive(move || t_string!(i18n, browse_prompt).to_string())
            back=Screen::Menu
        >
            <div class="days-and-pages">
                <nav class="days">{day_buttons}</nav>
                <Pager page=page pages=pages to=to here=Screen::Browse { day, page } />
            </div>
            {nothing.then(|| view! { <p class="empty">{empty}</p> })}
            <div class="cards">{cards}</div>
        </ScreenFrame>
    }
}
