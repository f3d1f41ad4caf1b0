//! A report's table as a file staff open in Excel: XLSX (what offices keep, with dates as dates
//! and numbers as numbers), or CSV in UTF-8 with a byte-order mark so Excel shows Chinese.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use time::{Date, PrimitiveDateTime};

use crate::error::AppError;
use crate::schedule::format_day;

/// One cell of a report's table, typed so a spreadsheet can add up and sort it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
    Day(Date),
    /// A moment in the community's time, to the minute: one date-time in the file, which Excel
    /// sorts, and filters by year, month and day.
    When(PrimitiveDateTime),
    /// A share, in thousandths: 12.3% in the file, 0.123 formatted as a percentage in Excel.
    PerMille(i64),
    /// A figure to one decimal, in tenths: 2.5 (entries per seat, check-ins a session).
    Tenths(i64),
    /// Nothing to count (a no-show before the session is over): shown as "—".
    NotYet,
}

impl Cell {
    pub fn text(value: impl Into<String>) -> Cell {
        Cell::Text(value.into())
    }

    /// As a CSV file carries it: text that a spreadsheet would run is made inert.
    fn in_csv(&self) -> String {
        match self {
            Cell::Text(text) => inert_text(text.clone()),
            other => other.shown(),
        }
    }

    /// As the page shows it (and the CSV file, but for text a spreadsheet would run).
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Day(day) => format_day(*day),
            Cell::When(at) => format!("{} {:02}:{:02}", format_day(at.date()), at.hour(), at.minute()),
            Cell::PerMille(n) => format!("{}.{}%", n / 10, n % 10),
            Cell::Tenths(n) => format!("{}.{}", n / 10, n % 10),
            Cell::NotYet => "—".to_owned(),
        }
    }
}

/// A table to hand over: its columns' names and its rows.
pub struct Table {
    pub name: &'static str,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Which file staff asked for (`format=csv` or `format=xlsx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    pub fn parse(format: &str) -> Option<FileKind> {
        match format {
            "csv" => Some(FileKind::Csv),
            "xlsx" => Some(FileKind::Xlsx),
            _ => None,
        }
    }
}

/// The bytes Excel looks for to read a CSV file as UTF-8.
const BOM: &str = "\u{feff}";
const WRITING: &str = "writing a report's file";

/// `table` written as a file of `kind`.
pub fn bytes(kind: FileKind, table: &Table) -> Result<Vec<u8>, AppError> {
    match kind {
        FileKind::Csv => csv_bytes(table),
        FileKind::Xlsx => xlsx_bytes(table),
    }
}

fn csv_bytes(table: &Table) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::Writer::from_writer(BOM.as_bytes().to_vec());
    let header = table.header.iter().map(|name| inert_text(name.clone()));
    writer.write_record(header).map_err(|_| AppError::Unfinished(WRITING))?;
    for row in &table.rows {
        writer.write_record(row.iter().map(Cell::in_csv)).map_err(|_| AppError::Unfinished(WRITING))?;
    }
    writer.into_inner().map_err(|_| AppError::Unfinished(WRITING))
}

/// Text a spreadsheet will not run. Excel and LibreOffice take a CSV cell that begins with
/// `=`, `+`, `-` or `@` as a formula (and skip a leading tab or carriage return to find one):
/// a resident named `=HYPERLINK(…)` would become a link in the office's spreadsheet. Such
/// text gets a leading apostrophe, as OWASP's advice on CSV injection has it; the roster keeps
/// the name as it is, since people's names are what they are. Numbers are written by
/// `Cell::Number`, never as text, so a negative count stays a number.
pub fn inert_text(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text }
}

/// Characters a date-time needs: `2026-12-01 09:30` and a margin.
const WHEN_WIDTH: f64 = 17.0;

/// Tables longer than this are not fitted column by column.
const AUTOFIT_ROWS: usize = 5_000;

pub fn xlsx_bytes(table: &Table) -> Result<Vec<u8>, AppError> {
    let length = if table.rows.len() > AUTOFIT_ROWS { Length::Long } else { Length::Short };
    let mut file = XlsxFile::new(&table.header, length)?;
    file.add_rows(table.rows.iter().cloned())?;
    file.finish()
}

/// How long a table will be, known before its rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Length {
    /// Its columns are fitted to their cells.
    Short,
    /// Thousands of rows: they go to a temporary file as they are written, or a month's
    /// records would hold a quarter of a million rows of cells, about 200 MB. Their text is
    /// written in each cell rather than in a table of shared strings, which the writer spent a
    /// third of its time looking strings up in (a month's records: measured by `cargo xtask
    /// bench`). The columns cannot be fitted afterwards: each is as wide as its header, or
    /// as a date-time in its first row needs (Excel shows one that does not fit as ########).
    Long,
}

/// An XLSX file written a batch of rows at a time.
pub struct XlsxFile {
    workbook: Workbook,
    length: Length,
    next_row: u32,
    /// The columns' widths, from their headers.
    widths: Vec<f64>,
    date: Format,
    moment: Format,
    percent: Format,
    tenths: Format,
}

fn failed<E>(_: E) -> AppError {
    AppError::Unfinished(WRITING)
}

impl XlsxFile {
    pub fn new(header: &[String], length: Length) -> Result<XlsxFile, AppError> {
        let mut workbook = Workbook::new();
        // The lightest deflate: a month's records write in half the time, and the file (14 MB
        // rather than 8) crosses the office's network in a moment.
        workbook.set_zip_compression_level(1);
        let sheet = match length {
            Length::Short => workbook.add_worksheet(),
            Length::Long => workbook.add_worksheet_with_constant_memory().map_err(failed)?,
        };
        let bold = Format::new().set_bold();
        let widths: Vec<f64> = header.iter().map(|name| (name.chars().count() as f64 * 2.2).max(12.0)).collect();
        for (c, (name, width)) in header.iter().zip(&widths).enumerate() {
            let col = u16::try_from(c).map_err(failed)?;
            sheet.write_string_with_format(0, col, name, &bold).map_err(failed)?;
            if length == Length::Long {
                sheet.set_column_width(col, *width).map_err(failed)?;
            }
        }
        Ok(XlsxFile {
            workbook,
            length,
            next_row: 1,
            widths,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            moment: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            percent: Format::new().set_num_format("0.0%"),
            tenths: Format::new().set_num_format("0.0"),
        })
    }

    /// Adds `rows` below the last; their text is moved into the sheet, not copied.
    pub fn add_rows(&mut self, rows: impl IntoIterator<Item = Vec<Cell>>) -> Result<(), AppError> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(failed)?;
        for row in rows {
            let at = self.next_row;
            for (c, cell) in row.into_iter().enumerate() {
                let col = u16::try_from(c).map_err(failed)?;
                match cell {
                    Cell::Text(text) => sheet.write_string(at, col, text).map(|_| ()),
                    Cell::Number(n) => sheet.write_number(at, col, n as f64).map(|_| ()),
                    Cell::Day(day) => {
                        sheet.write_datetime_with_format(at, col, &excel_day(day)?, &self.date).map(|_| ())
                    }
                    Cell::When(moment) => {
                        if self.length == Length::Long && at == 1 {
                            let width = self.widths.get(c).copied().unwrap_or(0.0).max(WHEN_WIDTH);
                            sheet.set_column_width(col, width).map_err(failed)?;
                        }
                        let excel = excel_day(moment.date())?
                            .and_hms(u16::from(moment.hour()), moment.minute(), 0)
                            .map_err(failed)?;
                        sheet.write_datetime_with_format(at, col, &excel, &self.moment).map(|_| ())
                    }
                    Cell::PerMille(n) => {
                        sheet.write_number_with_format(at, col, n as f64 / 1000.0, &self.percent).map(|_| ())
                    }
                    Cell::Tenths(n) => {
                        sheet.write_number_with_format(at, col, n as f64 / 10.0, &self.tenths).map(|_| ())
                    }
                    Cell::NotYet => sheet.write_string(at, col, "—").map(|_| ()),
                }
                .map_err(failed)?;
            }
            self.next_row = at.checked_add(1).ok_or(AppError::Unfinished(WRITING))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<Vec<u8>, AppError> {
        if self.length == Length::Short {
            self.workbook.worksheet_from_index(0).map_err(failed)?.autofit();
        }
        self.workbook.save_to_buffer().map_err(failed)
    }
}

fn excel_day(day: Date) -> Result<ExcelDateTime, AppError> {
    ExcelDateTime::from_ymd(day.year() as u16, u8::from(day.month()), day.day()).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_line(cells: Vec<Cell>) -> String {
        let table = Table { name: "t", header: vec!["名字".into(), "数".into()], rows: vec![cells] };
        let bytes = csv_bytes(&table).unwrap();
        String::from_utf8(bytes).unwrap().lines().nth(1).unwrap().to_owned()
    }

    #[test]
    fn text_a_spreadsheet_would_run_is_made_inert_and_numbers_stay_numbers() {
        for (name, written) in [
            (r#"=HYPERLINK("http://evil.example","点这里")"#, r#""'=HYPERLINK(""http://evil.example"",""点这里"")""#),
            ("+1+1", "'+1+1"),
            ("-1+1", "'-1+1"),
            ("@SUM(1)", "'@SUM(1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "\"'\r=1\""),
            ("张建华", "张建华"),
            ("a=1", "a=1"),
        ] {
            assert_eq!(csv_line(vec![Cell::text(name), Cell::Number(-3)]), format!("{written},-3"), "{name:?}");
        }
        assert_eq!(csv_line(vec![Cell::Number(-12), Cell::NotYet]), "-12,—", "a negative count is a number");
    }
}
