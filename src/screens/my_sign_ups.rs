//! The resident's sign-ups, with where they stand (signed up, waiting list number, waiting to
//! be confirmed), four a page like the activities; tapping one asks whether to cancel it.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::activity_card::ActivityCard;
use crate::screens::frame::ScreenFrame;
use crate::screens::pager::{PER_PAGE, Pager, pages};
use crate::state::{LocalData, Screen, Session};

#[component]
pub fn MySignUps(page: usize) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let resident_id = session.resident_id().unwrap_or_default();
    let ids = data.signed_up_activities(&resident_id);
    // In the catalog's order: by day and time.
    let activities: Vec<_> = data
        .catalog
        .with_untracked(|c| c.activities.iter().filter(|a| ids.contains(&a.activity.id)).cloned().collect());
    let empty = activities.is_empty();
    let pages = pages(activities.len());
    let page = page.min(pages - 1);
    let cards = activities
        .into_iter()
        .skip(page * PER_PAGE)
        .take(PER_PAGE)
        .map(|activity| {
            // A cancelled session needs no cancelling: its page says so.
            let id = activity.activity.id.clone();
            let to = if activity.activity.cancelled { Screen::Activity(id) } else { Screen::ConfirmCancel(id) };
            view! { <ActivityCard activity=activity resident_id=resident_id.clone() to=to /> }
        })
        .collect_view();
    let to = |page, _: &Screen| Screen::MySignUps { page };
    view! {
        <ScreenFrame
            class="my-sign-ups"
            title=Signal::derive(move || t_string!(i18n, my_sign_ups).to_string())
            prompt=Signal::derive(move || {
                if empty { t_string!(i18n, no_sign_ups) } else { t_string!(i18n, my_sign_ups_prompt) }.to_string()
            })
            back=Screen::Menu
        >
            <Pager page=page pages=pages to=to here=Screen::MySignUps { page } />
            {empty.then(|| view! { <p class="empty">{crate::text!(i18n, no_sign_ups)}</p> })}
            <div class="cards">{cards}</div>
        </ScreenFrame>
    }
}
