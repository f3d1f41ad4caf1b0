//! How was the session (满意度): asked once, before the menu, about the last session the
//! resident checked in to that has ended. Three faces with words and a clear 跳过; one tap.

use jiayuan_domain::satisfaction::Rating;
use jiayuan_domain::sync::pull::ToRate;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{day_name, local_at, local_now};
use crate::i18n::{t_string, use_i18n};
use crate::language::from_locale;
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::words::fill;

/// The mouth of each face (an SVG path in a 40 × 40 box): a smile, a line, a frown.
fn mouth(rating: Rating) -> &'static str {
    match rating {
        Rating::Satisfied => "M11 24q9 9 18 0",
        Rating::SoSo => "M12 27h16",
        _ => "M11 30q9-9 18 0",
    }
}

#[component]
pub fn RateSession(session: ToRate) -> impl IntoView {
    let i18n = use_i18n();
    let actions = Actions::use_context();
    let day = local_at(session.ends_at as f64).0;
    let title = Signal::derive({
        let title = session.title.clone();
        move || {
            let language = from_locale(i18n.get_locale());
            let day =
                if day == local_now().0 { t_string!(i18n, today_label).to_string() } else { day_name(day, language) };
            fill(t_string!(i18n, rate_title), &[("day", day), ("title", title.get(language).to_owned())])
        }
    });
    let buttons = [Rating::Satisfied, Rating::SoSo, Rating::NotSatisfied, Rating::Skipped]
        .into_iter()
        .map(|rating| {
            let label = match rating {
                Rating::Satisfied => crate::text!(i18n, satisfied),
                Rating::SoSo => crate::text!(i18n, so_so),
                Rating::NotSatisfied => crate::text!(i18n, not_satisfied),
                Rating::Skipped => crate::text!(i18n, skip),
            };
            let face = (rating != Rating::Skipped).then(|| {
                view! {
                    <svg class="face" viewBox="0 0 40 40" aria-hidden="true">
                        <circle cx="20" cy="20" r="18" />
                        <circle class="eye" cx="14" cy="16" r="2.5" />
                        <circle class="eye" cx="26" cy="16" r="2.5" />
                        <path d=mouth(rating) />
                    </svg>
                }
            });
            let id = session.activity_id.clone();
            view! {
                <TapButton class="choice rating" control=format!("rate-{}", rating.name()) on_tap=move || actions.rate(id.clone(), rating)>
                    {face}
                    <span>{label}</span>
                </TapButton>
            }
        })
        .collect_view();
    view! {
        <ScreenFrame class="rate" title=title prompt=crate::text!(i18n, rate_prompt)>
            <div class="choices">{buttons}</div>
        </ScreenFrame>
    }
}
