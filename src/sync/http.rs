//! One HTTP request to the server, with a time limit: a kiosk must never wait for ever on a
//! network that hangs.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout_with_handle;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::Problem;

/// Long enough for a full batch from a slow server over a poor link.
pub const TIMEOUT: Duration = Duration::from_secs(20);

pub struct Answer {
    pub status: u16,
    pub body: String,
}

/// Sends `body` (JSON) to `path` on the kiosk's own server.
pub async fn send(
    method: &str,
    path: &str,
    authorization: Option<&str>,
    body: Option<&str>,
) -> Result<Answer, Problem> {
    let window = web_sys::window().ok_or(Problem::Offline)?;
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().map_err(|_| Problem::Offline)?;
    if let Some(body) = body {
        let _ = headers.set("content-type", "application/json");
        init.set_body(&JsValue::from_str(body));
    }
    if let Some(authorization) = authorization {
        let _ = headers.set("authorization", authorization);
    }
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().ok();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let timed_out = Rc::clone(&timed_out);
        let controller = controller.clone();
        let abort = move || {
            timed_out.set(true);
            if let Some(controller) = &controller {
                controller.abort();
            }
        };
        set_timeout_with_handle(abort, TIMEOUT).ok()
    };
    let result = exchange(&window, path, &init).await;
    if let Some(timer) = timer {
        timer.clear();
    }
    result.map_err(|()| if timed_out.get() { Problem::Timeout } else { Problem::Offline })
}

async fn exchange(window: &web_sys::Window, path: &str, init: &web_sys::RequestInit) -> Result<Answer, ()> {
    let request = web_sys::Request::new_with_str_and_init(path, init).map_err(|_| ())?;
    let response = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| ())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| ())?;
    let text = JsFuture::from(response.text().map_err(|_| ())?).await.map_err(|_| ())?;
    Ok(Answer { status: response.status(), body: text.as_string().unwrap_or_default() })
}
