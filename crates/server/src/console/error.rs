//! What the console answers when a page cannot be shown: sign in first (a redirect), not
//! allowed (403), not found (404), a form from elsewhere or too old (403), or the server's own
//! failure. Pages are short and in both languages: the error may come before we know the
//! staff member's language.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use jiayuan_community::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum ConsoleError {
    /// Not signed in, or the session ended: go to the sign-in page, then come back.
    #[error("sign in first")]
    SignInNeeded { back_to: String },
    /// A first sign-in with a one-time password: choose one's own first.
    #[error("choose a new password first")]
    PasswordChangeNeeded,
    /// Signed in, but the role or the site does not allow it.
    #[error("not allowed")]
    NotAllowed,
    #[error("not found")]
    NotFound,
    /// A form without this session's token, or posted from another site.
    #[error("this form is from another page or too old")]
    FormRefused,
    #[error(transparent)]
    App(#[from] AppError),
}

fn page(status: StatusCode, zh: &str, en: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>家园 · {zh}</title><link rel=\"stylesheet\" href=\"/console/console.css\"></head>\
         <body><main class=\"problem-page\"><h1>{zh}</h1><p lang=\"en\">{}</p>\
         <p><a href=\"/console\">返回首页 · Back to the console</a></p></main></body></html>",
        super::html_escape(en)
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        match self {
            ConsoleError::SignInNeeded { back_to } => {
                let back_to = if super::is_console_path(&back_to) { back_to } else { "/console".to_owned() };
                let target = format!("/console/sign-in?back={}", super::query_escape(&back_to));
                Redirect::to(&target).into_response()
            }
            ConsoleError::PasswordChangeNeeded => Redirect::to("/console/password").into_response(),
            ConsoleError::NotAllowed => page(
                StatusCode::FORBIDDEN,
                "您的账号不能做这件事",
                "Your account may not do this. Ask an administrator if you need to.",
            ),
            ConsoleError::NotFound => page(StatusCode::NOT_FOUND, "没有找到", "Not found."),
            ConsoleError::FormRefused => page(
                StatusCode::FORBIDDEN,
                "这个页面已过期，请重新打开再提交",
                "This form is out of date or came from another site. Open the page again and resend.",
            ),
            ConsoleError::App(error) => {
                let message = match &error {
                    AppError::Database { context, .. } => format!("the server's database failed while {context}"),
                    other => other.to_string(),
                };
                let mut response = page(crate::error::status(&error), "出了问题，请稍后再试", &message);
                if let Some(failure) = crate::error::failure_of(&error) {
                    response.extensions_mut().insert(failure);
                }
                response
            }
        }
    }
}
