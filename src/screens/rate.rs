//! How was the session (满意度): asked once, before the menu, about the last session the
//! resident checked in to that has ended. Three faces with words and a clear 跳过; one tap.

use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::sync::pull::ToRate;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{day_name, local_at, local_now};
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::words::fill;

#[component]
pub fn RateSession(session: ToRate) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions::use_context();
    let day = local_at(session.ends_at as f64).0;
    let title = Signal::derive({
        let title = session.title.clone();
        move || {
            let language = i18n.get_locale();
            let day =
                if day == local_now().0 { t_string!(i18n, today_label).to_string() } else { day_name(day, language) };
            fill(t_string!(i18n, rate_title), &[("day", day), ("title", title.get(language).to_owned())])
        }
    });
    let buttons = [Rating::Satisfied, Rating::SoSo, Rating::NotSatisfied, Rating::Skipped]
        .into_iter()
        .map(|rating| {
            let label = Signal::derive(move || {
                match rating {
                    Rating::Satisfied => t_string!(i18n, satisfied),
                    Rating::SoSo => t_string!(i18n, so_so),
                    Rating::NotSatisfied => t_string!(i18n, not_satisfied),
                    Rating::Skipped => t_string!(i18n, skip),
                }
                .to_string()
            });
            let id = session.activity_id.clone();
            // The face beside each word is drawn by the style sheet (`.rating`).
            let (class, control) = match rating {
                Rating::Satisfied => ("choice rating satisfied", "rate-satisfied"),
                Rating::SoSo => ("choice rating so-so", "rate-so-so"),
                Rating::NotSatisfied => ("choice rating not-satisfied", "rate-not-satisfied"),
                Rating::Skipped => ("choice", "rate-skipped"),
            };
            view! { <TapButton class=class control=control on_tap=move || actions.rate(id.clone(), rating) label=label /> }
        })
        .collect_view();
    view! {
        <ScreenFrame class="rate" title=title prompt=crate::text!(i18n, rate_prompt)>
            <div class="choices">{buttons}</div>
        </ScreenFrame>
    }
}
