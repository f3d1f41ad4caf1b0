//! Large-text mode: every text at least 32 px (body text is 26 px otherwise), for residents
//! whose eyes need it. One tap, shown pressed while on.

use leptos::prelude::*;

use crate::i18n::use_i18n;
use crate::screens::tap_button::TapButton;

#[derive(Debug, Clone, Copy)]
pub struct LargeText {
    pub on: RwSignal<bool>,
}

impl LargeText {
    pub fn provide() -> LargeText {
        let large_text = LargeText { on: RwSignal::new(false) };
        provide_context(large_text);
        large_text
    }
}

#[component]
pub fn LargeTextButton() -> impl IntoView {
    let i18n = use_i18n();
    let on = use_context::<LargeText>().unwrap_or_else(LargeText::provide).on;
    view! {
        <TapButton class="large-text-button" control="large-text" pressed=on on_tap=move || on.update(|on| *on = !*on) label=crate::text!(i18n, large_text) />
    }
}
