//! A report's table as a file: CSV in UTF-8 with a byte-order mark, so Excel on an office PC
//! opens Chinese text as Chinese, and numbers as numbers.

use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// The bytes Excel looks for to read a CSV file as UTF-8.
const BOM: &str = "\u{feff}";

/// `rows` under `header` as a CSV file named `file_name` for the browser to save.
pub fn csv_file(file_name: &str, header: &[String], rows: &[Vec<String>]) -> Result<Response, AppError> {
    let mut writer = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let failed = |_| AppError::Unfinished("writing a CSV file");
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer.write_record(row).map_err(failed)?;
    }
    let bytes = writer.into_inner().map_err(|_| AppError::Unfinished("writing a CSV file"))?;
    let disposition = format!("attachment; filename=\"{file_name}\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, disposition)],
        bytes,
    )
        .into_response())
}
