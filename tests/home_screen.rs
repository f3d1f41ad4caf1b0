//! The home screen in a real browser (headless Chromium via wasm-bindgen-test).
#![allow(clippy::unwrap_used)] // a test or a benchmark: a panic is its failure message
#![cfg(target_arch = "wasm32")]

use jiayuan_kiosk::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh kiosk into its own container; the returned handle unmounts it when dropped.
fn mount() -> (Element, leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>) {
    let container = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone().unchecked_into(), App);
    (container, handle)
}

/// A kiosk as a resident finds it: mounted, and its first effects run.
async fn mounted() -> (Element, leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>) {
    let mounted = mount();
    settle().await;
    mounted
}

/// Lets Leptos's effects (queued as microtasks) run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn text_of(container: &Element, selector: &str) -> String {
    container.query_selector(selector).unwrap().unwrap().text_content().unwrap_or_default()
}

fn button(container: &Element, label: &str) -> HtmlElement {
    let buttons = container.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|node| node.unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().unwrap_or_default().contains(label))
        .unwrap_or_else(|| panic!("no button {label:?}"))
}

#[wasm_bindgen_test]
async fn starts_in_simplified_chinese_whatever_the_browser_language() {
    let (container, _handle) = mounted().await;
    assert_eq!(text_of(&container, "h1"), "欢迎来到活动室");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("zh-Hans"));
    assert_eq!(button(&container, "简体中文").get_attribute("aria-pressed").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn each_language_button_switches_the_whole_screen() {
    let (container, _handle) = mounted().await;
    button(&container, "English").click();
    settle().await;
    assert_eq!(text_of(&container, "h1"), "Welcome to the activity room");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("en"));
    assert_eq!(button(&container, "English").get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(button(&container, "简体中文").get_attribute("aria-pressed").as_deref(), Some("false"));

    button(&container, "繁體中文").click();
    settle().await;
    assert_eq!(text_of(&container, "h1"), "歡迎來到活動室");
    assert_eq!(document().document_element().unwrap().get_attribute("lang").as_deref(), Some("zh-Hant"));
}

#[wasm_bindgen_test]
async fn language_names_are_written_in_their_own_script_and_marked_so() {
    let (container, _handle) = mounted().await;
    button(&container, "English").click();
    settle().await;
    // Even on the English screen, Chinese readers find their language in Chinese.
    for (label, lang) in [("简体中文", "zh-Hans"), ("繁體中文", "zh-Hant"), ("English", "en")] {
        assert_eq!(button(&container, label).get_attribute("lang").as_deref(), Some(lang));
    }
}

#[wasm_bindgen_test]
async fn shows_todays_date_in_the_screen_language() {
    let (container, _handle) = mounted().await;
    let today = text_of(&container, ".today");
    let month = js_sys::Date::new_0().get_month() + 1;
    assert!(today.starts_with("今天是"), "{today}");
    assert!(today.contains(&format!("{month}月")), "{today}");
}
