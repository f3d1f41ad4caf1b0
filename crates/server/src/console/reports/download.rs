//! A report's table or bytes as a file the browser saves.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use jiayuan_community::reports::export::{self, FileKind, Table};

use jiayuan_community::error::AppError;

/// `table` as a file named `{table.name}_{slug}` for the browser to save.
pub fn file(kind: FileKind, table: &Table, slug: &str) -> Result<Response, AppError> {
    Ok(download(kind, export::bytes(kind, table)?, table.name, slug))
}

/// A file's `bytes`, named `{name}_{slug}`, for the browser to save.
pub fn download(kind: FileKind, bytes: Vec<u8>, name: &str, slug: &str) -> Response {
    let (content_type, extension) = match kind {
        FileKind::Csv => ("text/csv; charset=utf-8", "csv"),
        FileKind::Xlsx => ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    };
    let disposition = format!("attachment; filename=\"{name}_{slug}.{extension}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}
