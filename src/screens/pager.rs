//! Previous and Next page, for lists longer than a screen: no scrolling (a swipe), four cards
//! a page, big buttons.

use leptos::prelude::*;

use crate::i18n::{t_string, use_i18n};
use crate::screens::tap_button::TapButton;
use crate::state::{Screen, Session};

/// Cards on one page.
pub const PER_PAGE: usize = 4;

/// How many pages `count` cards take (at least one, even when empty).
pub fn pages(count: usize) -> usize {
    count.div_ceil(PER_PAGE).max(1)
}

/// Previous and Next for page `page` of `pages`; `to` makes the screen of another page.
#[component]
pub fn Pager(page: usize, pages: usize, to: fn(usize, &Screen) -> Screen, here: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let button = move |next: bool, target: usize| {
        let screen = to(target, &here);
        let control = if next { "next-page" } else { "previous-page" };
        view! {
            <TapButton class="pager" control=control on_tap=move || session.go(screen.clone())
                label=Signal::derive(move || if next { t_string!(i18n, next_page) } else { t_string!(i18n, previous_page) }.to_string()) />
        }
    };
    view! {
        <div class="pagers">
            {(page > 0).then(|| button(false, page - 1))}
            {(page + 1 < pages).then(|| button(true, page + 1))}
        </div>
    }
}
