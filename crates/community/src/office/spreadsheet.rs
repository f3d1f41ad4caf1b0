//! An uploaded XLSX file read without letting it cost more than a roster or a schedule can.
//!
//! An XLSX file is a zip of XML parts, and its numbers are the sender's to choose: calamine
//! builds a sheet as a dense grid from its first to its last cell (one cell at A1 and one at
//! XFD1048576 ask for 17 billion cells) and reserves room for as many shared strings as the
//! file says it has. An allocation that size aborts the process, which no `Result` or panic
//! handler catches: every community on the server would lose it to a 1 KB file. So before
//! calamine reads anything the file is bounded — its parts' sizes (zip 9 stops reading a part
//! at the size its directory declares), the shared strings it announces, the length of a
//! style's values (each style copies its font's and format's) — and the sheet is read a cell
//! at a time (`worksheet_cells_reader`), refusing a cell beyond the rows and columns a roster
//! has, instead of as a grid.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};

use crate::import::{MAX_COLUMNS, MAX_ROWS};

/// Cells with something in them.
pub const MAX_CELLS: usize = 1_000_000;
/// Parts of the zip (a workbook saved by Excel has about a dozen).
const MAX_PARTS: usize = 200;
/// One part's size unpacked, and all parts' together.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
const MAX_UNPACKED_BYTES: u64 = 160 * 1024 * 1024;
/// Shared strings a file may announce.
const MAX_SHARED_STRINGS: u64 = 2_000_000;
/// The longest value (between quotes) in the styles part: font names and number formats.
const MAX_STYLE_VALUE: usize = 1_024;

/// Why a file is not read: the console's words key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unread {
    /// Not an XLSX file we can read.
    Unreadable,
    /// Larger than a roster or schedule, or built to cost more than it holds.
    TooLarge,
    NoSheet,
}

impl Unread {
    pub fn words_key(self) -> &'static str {
        match self {
            Unread::Unreadable => "upload.problem.unreadable",
            Unread::TooLarge => "upload.problem.too_large",
            Unread::NoSheet => "upload.problem.no_sheet",
        }
    }
}

/// The first sheet of an XLSX file as CSV text, cells as staff see them (`cell_text`), rows
/// without anything in them left out.
pub fn xlsx_as_csv(bytes: &[u8]) -> Result<String, Unread> {
    // calamine tries a file that is not a zip as an old Office file first, whose parser
    // follows the file's own chains: only zips reach it.
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Unread::Unreadable);
    }
    check_parts(bytes)?;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| Unread::Unreadable)?;
    let first = workbook.sheet_names().into_iter().next().ok_or(Unread::NoSheet)?;
    let mut cells = workbook.worksheet_cells_reader(&first).map_err(|_| Unread::Unreadable)?;
    let mut grid: BTreeMap<(u32, u32), String> = BTreeMap::new();
    while let Some(cell) = cells.next_cell().map_err(|_| Unread::Unreadable)? {
        let (row, column) = cell.get_position();
        if row >= MAX_ROWS || column >= MAX_COLUMNS || grid.len() >= MAX_CELLS {
            return Err(Unread::TooLarge);
        }
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if !text.is_empty() {
            grid.insert((row, column), text);
        }
    }
    as_csv(&grid)
}

/// The grid from its first used column to its last, a row per used row.
fn as_csv(grid: &BTreeMap<(u32, u32), String>) -> Result<String, Unread> {
    let first_column = grid.keys().map(|(_, column)| *column).min().unwrap_or(0);
    let last_column = grid.keys().map(|(_, column)| *column).max().unwrap_or(0);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut rows = grid.iter().peekable();
    while let Some(((row, _), _)) = rows.peek() {
        let row = *row;
        let mut line = vec![""; (last_column - first_column + 1) as usize];
        while let Some(((_, column), text)) = rows.next_if(|((r, _), _)| *r == row) {
            if let Some(slot) = line.get_mut((column - first_column) as usize) {
                *slot = text.as_str();
            }
        }
        out.write_record(&line).map_err(|_| Unread::Unreadable)?;
    }
    let bytes = out.into_inner().map_err(|_| Unread::Unreadable)?;
    String::from_utf8(bytes).map_err(|_| Unread::Unreadable)
}

/// Bounds what the zip's parts may cost before calamine opens it.
fn check_parts(bytes: &[u8]) -> Result<(), Unread> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unread::Unreadable)?;
    if zip.len() > MAX_PARTS {
        return Err(Unread::TooLarge);
    }
    let mut unpacked = 0u64;
    for index in 0..zip.len() {
        let mut part = zip.by_index(index).map_err(|_| Unread::Unreadable)?;
        if part.encrypted() {
            return Err(Unread::Unreadable);
        }
        unpacked = unpacked.saturating_add(part.size());
        if part.size() > MAX_PART_BYTES || unpacked > MAX_UNPACKED_BYTES {
            return Err(Unread::TooLarge);
        }
        let name = part.name().map(|name| name.to_lowercase()).unwrap_or_default();
        let shared_strings = name.ends_with("sharedstrings.xml");
        let styles = name.ends_with("styles.xml");
        if !(shared_strings || styles) {
            continue;
        }
        // Within the size its directory declares: zip stops a part that unpacks to more.
        let mut xml = Vec::new();
        (&mut part).take(MAX_PART_BYTES).read_to_end(&mut xml).map_err(|_| Unread::Unreadable)?;
        if shared_strings && announced_strings(&xml).is_some_and(|count| count > MAX_SHARED_STRINGS) {
            return Err(Unread::TooLarge);
        }
        if styles && longest_quoted(&xml) > MAX_STYLE_VALUE {
            return Err(Unread::TooLarge);
        }
    }
    Ok(())
}

/// The `uniqueCount` a shared-strings part announces (calamine reserves room for that many).
fn announced_strings(xml: &[u8]) -> Option<u64> {
    const ATTRIBUTE: &[u8] = b"uniqueCount=";
    let at = xml.windows(ATTRIBUTE.len()).position(|window| window == ATTRIBUTE)? + ATTRIBUTE.len();
    let value = xml.get(at + 1..)?;
    let digits: Vec<u8> = value.iter().take_while(|b| b.is_ascii_digit()).copied().collect();
    // More digits than a u64 holds is more than any bound.
    Some(std::str::from_utf8(&digits).ok()?.parse().unwrap_or(u64::MAX))
}

/// The longest run of bytes between two double quotes.
fn longest_quoted(xml: &[u8]) -> usize {
    xml.split(|b| *b == b'"').skip(1).step_by(2).map(<[u8]>::len).max().unwrap_or(0)
}

/// A cell as staff see it in Excel: whole numbers without ".0", dates as 2026-12-03, times
/// as 08:30.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.trim().to_owned(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(at) => {
            let (year, month, day, hour, minute, _, _) = at.to_ymd_hms_milli();
            if at.as_f64() < 1.0 { format!("{hour:02}:{minute:02}") } else { format!("{year:04}-{month:02}-{day:02}") }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announced_counts_and_quoted_values_are_read() {
        let sst = br#"<?xml version="1.0"?><sst xmlns="x" count="9" uniqueCount="4000000000"><si>"#;
        assert_eq!(announced_strings(sst), Some(4_000_000_000));
        assert_eq!(announced_strings(br#"<sst uniqueCount="99999999999999999999999">"#), Some(u64::MAX));
        assert_eq!(announced_strings(b"<sst>"), None);
        assert_eq!(longest_quoted(br#"<font name="Calibri"/><numFmt formatCode="0.0%"/>"#), 7);
    }

    #[test]
    fn a_grid_is_written_from_its_first_used_column_with_gaps_kept() {
        let grid: BTreeMap<(u32, u32), String> = [((0, 1), "id"), ((0, 3), "name"), ((4, 1), "r-1"), ((4, 2), "x")]
            .into_iter()
            .map(|(at, text)| (at, text.to_owned()))
            .collect();
        assert_eq!(as_csv(&grid).unwrap(), "id,,name\nr-1,x,\n");
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_unreadable() {
        assert_eq!(xlsx_as_csv(b"\xd0\xcf\x11\xe0 an old Office file"), Err(Unread::Unreadable));
    }
}
