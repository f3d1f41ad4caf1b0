//! The known resident's choices: sign in to the room, check in to what is on now, browse and
//! sign up, their sign-ups.

use jiayuan_domain::catalog::Standing;
use jiayuan_domain::seats;
use leptos::prelude::*;

use crate::actions::Actions;
use crate::clock::{local_now, time_of};
use crate::i18n::{t_string, use_i18n};
use crate::screens::frame::ScreenFrame;
use crate::screens::tap_button::TapButton;
use crate::state::{LocalData, Screen, Session};
use crate::sync::SyncEngine;
use crate::words::fill;

#[component]
pub fn Menu() -> impl IntoView {
    let i18n = use_i18n();
    let session = Session::use_context();
    let data = LocalData::use_context();
    let actions = Actions::use_context();
    let sync = SyncEngine::use_context();
    let resident_id = session.resident_id().unwrap_or_default();

    let signed_in = data.signed_in_at(&resident_id);
    let sign_in_label = move || match signed_in {
        Some(at) => fill(t_string!(i18n, signed_in_at), &[("time", (time_of(at)).to_string())]),
        None => t_string!(i18n, sign_in).to_string(),
    };

    // Activities on now in this room that the resident may check in to: open to all, or with
    // a seat that is theirs.
    let (today, now) = local_now();
    let room = sync.credentials.with_untracked(|c| c.as_ref().map(|c| c.room_id.clone())).unwrap_or_default();
    let check_ins: Vec<(String, jiayuan_domain::LocalizedText)> = data.catalog.with_untracked(|catalog| {
        catalog
            .on_now(&room, today, now)
            .filter(|a| {
                let holds_a_seat = matches!(data.standing(&resident_id, &a.activity.id), Standing::Confirmed { .. });
                seats::check_in(a.activity.cancelled, a.activity.capacity, holds_a_seat).is_ok()
            })
            .map(|a| (a.activity.id.clone(), a.activity.title.clone()))
            .collect()
    });
    let check_in_buttons = check_ins
        .into_iter()
        .map(|(id, title)| {
            let control = format!("check-in-{id}");
            view! {
                <TapButton class="choice act-check-in" control=control on_tap=move || actions.check_in(id.clone())
                    label=Signal::derive(move || fill(t_string!(i18n, check_in_to), &[("title", title.get(i18n.get_locale()).to_owned())])) />
            }
        })
        .collect_view();

    // A volunteer: 结束服务 while their service here is open, else 开始服务 when a
    // volunteer-service session is on in this room.
    let service_button = data.is_volunteer(&resident_id).then(|| {
        let serving_here = data.catalog.with_untracked(|catalog| {
            catalog
                .on_now(&room, today, now)
                .find(|a| a.activity.volunteer_service && !a.activity.cancelled)
                .map(|a| a.activity.id.clone())
        });
        match data.serving(&resident_id) {
            Some(id) => Some((true, id)),
            None => serving_here.map(|id| (false, id)),
        }
    });
    let service_button = service_button.flatten().map(|(ending, id)| {
        let (control, on_tap): (_, fn(&Actions, String)) =
            if ending { ("end-service", Actions::end_service) } else { ("start-service", Actions::start_service) };
        let label = Signal::derive(move || {
            if ending { t_string!(i18n, end_service) } else { t_string!(i18n, start_service) }.to_string()
        });
        view! { <TapButton class="choice" control=control on_tap=move || on_tap(&actions, id.clone()) label=label /> }
    });

    // After-school care in this room: a guardian drops their children off while it is on and
    // picks them up, late too; anyone else who comes for a child is sent to staff.
    let after_school = data.catalog.with_untracked(|catalog| {
        catalog.after_school_here(&room, today, now).map(|(a, on_now)| (a.activity.id.clone(), on_now))
    });
    let guardian = !data.children_of(&resident_id).is_empty();
    let handover_buttons = after_school.map(|(activity_id, on_now)| {
        let go_to = move |picking_up: bool| {
            let activity_id = activity_id.clone();
            move || {
                let screen = match guardian {
                    true => Screen::Children { activity_id: activity_id.clone(), picking_up },
                    false => Screen::NotAGuardian,
                };
                session.go(screen)
            }
        };
        view! {
            {(guardian && on_now).then(|| view! { <TapButton class="choice" control="drop-off" on_tap=go_to(false) label=crate::text!(i18n, drop_off) /> })}
            <TapButton class="choice" control="pick-up" on_tap=go_to(true) label=crate::text!(i18n, pick_up) />
        }
    });

    // Sessions this resident signed up for that staff have since cancelled: said first.
    let cancelled: Vec<(jiayuan_domain::LocalizedText, time::Date)> = {
        let ids = data.signed_up_activities(&resident_id);
        data.catalog.with_untracked(|catalog| {
            ids.iter()
                .filter_map(|id| catalog.activity(id))
                .filter(|a| a.activity.cancelled && a.activity.date >= today)
                .map(|a| (a.activity.title.clone(), a.activity.date))
                .collect()
        })
    };
    let thanks = session.take_thanks();
    let notice = Signal::derive(move || {
        let language = i18n.get_locale();
        let mut said: Vec<String> = cancelled
            .iter()
            .map(|(title, day)| {
                fill(
                    t_string!(i18n, cancelled_notice),
                    &[("title", title.get(language).to_owned()), ("day", crate::clock::day_name(*day, language))],
                )
            })
            .collect();
        if thanks {
            said.insert(0, t_string!(i18n, thanks).to_string());
        }
        said.join(" ")
    });
    view! {
        <ScreenFrame
            class="menu"
            title=Signal::derive(move || t_string!(i18n, menu_prompt).to_string())
            prompt=notice
        >
            <div class="choices">
                <TapButton class="choice primary act-sign-in" control="sign-in" on_tap=move || actions.sign_in() label=Signal::derive(sign_in_label) />
                {check_in_buttons}
                {service_button}
                {handover_buttons}
                <TapButton class="choice act-browse" control="browse" on_tap=move || session.go(Screen::Browse { day: today, page: 0 }) label=crate::text!(i18n, browse) />
                <TapButton class="choice act-mine" control="my-sign-ups" on_tap=move || session.go(Screen::MySignUps { page: 0 }) label=crate::text!(i18n, my_sign_ups) />
            </div>
        </ScreenFrame>
    }
}
