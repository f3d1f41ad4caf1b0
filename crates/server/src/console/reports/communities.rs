//! `/console/reports/communities`: the communities an account reads, side by side, for a head
//! office (总部) or an administrator of several sites; its two tables as files. The page shows
//! the very tables the files hold, cell for cell.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;

use super::download::file;
use super::{Controls, ReportQuery, controls};
use jiayuan_community::reports::communities::{self as report, CommunityFigures, SideBySide};
use jiayuan_community::reports::export::{Cell, FileKind, Table};

#[derive(Template)]
#[template(path = "console/report_communities.html")]
struct CommunitiesPage {
    chrome: Chrome,
    controls: Controls,
    figures: Table,
    months: Table,
}

impl CommunitiesPage {
    /// The page's tables with the names their files are asked for by.
    fn tables(&self) -> [(&Table, &'static str); 2] {
        [(&self.figures, "communities"), (&self.months, "months")]
    }
}

pub async fn communities(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let mut controls = controls(&state, &signed_in, "/console/reports/communities", &query, String::new()).await?;
    // Every room of every community: one site's rooms are no choice here.
    controls.rooms.clear();
    // Only the sites this account works on: another community's figures are never read.
    let sites = jiayuan_community::sites::of_staff(&state.db, signed_in.staff_id()).await?;
    let report = report::side_by_side(&state.db, &sites, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    let (figures, months) = (figures_table(&words, &report), months_table(&words, &report));
    if let Some(kind) = FileKind::parse(&query.format) {
        let table = if query.table == "months" { months } else { figures };
        return Ok(file(kind, &table, &controls.period.slug())?);
    }
    let title = words.t("communities.title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&CommunitiesPage { chrome, controls, figures, months })
}

/// The whole's row is named for what it is.
fn name_of(words: &Words, figures: &CommunityFigures) -> String {
    if figures.site_id.is_empty() { words.t("communities.whole").into_owned() } else { figures.name.clone() }
}

fn rows(report: &SideBySide) -> impl Iterator<Item = &CommunityFigures> {
    report.communities.iter().chain(std::iter::once(&report.whole))
}

fn share(per_mille: Option<i64>) -> Cell {
    per_mille.map_or(Cell::NotYet, Cell::PerMille)
}

/// One row a community, the whole last: each column's heading key and its cell.
fn figures_table(words: &Words, report: &SideBySide) -> Table {
    type Column = (&'static str, fn(&CommunityFigures) -> Cell);
    const COLUMNS: [Column; 11] = [
        ("communities.roster", |f| Cell::Number(f.roster)),
        ("communities.came", |f| Cell::Number(f.came)),
        ("communities.participation", |f| share(f.participation)),
        ("reports.sessions_held", |f| Cell::Number(f.sessions_held)),
        ("communities.visits", |f| Cell::Number(f.visits)),
        ("reports.checked_in", |f| Cell::Number(f.checked_in)),
        ("reports.no_shows", |f| Cell::Number(f.no_shows)),
        ("satisfaction.satisfied_share", |f| share(f.satisfied())),
        ("satisfaction.answered", |f| Cell::Number(f.ratings.answered())),
        ("communities.hours", |f| Cell::Tenths(f.service_half_hours.saturating_mul(5))),
        ("communities.volunteers", |f| Cell::Number(f.volunteers)),
    ];
    let mut header = vec![words.t("communities.community").into_owned()];
    header.extend(COLUMNS.iter().map(|(key, _)| words.t(key).into_owned()));
    let rows = rows(report)
        .map(|figures| {
            let mut row = vec![Cell::text(name_of(words, figures))];
            row.extend(COLUMNS.iter().map(|(_, cell)| cell(figures)));
            row
        })
        .collect();
    Table { name: "communities", header, rows }
}

/// The trend: each community's participation month by month.
fn months_table(words: &Words, report: &SideBySide) -> Table {
    let months: Vec<&str> = report.whole.months.iter().map(|m| m.month.as_str()).collect();
    let mut header = vec![words.t("communities.community").into_owned()];
    header.extend(months.iter().map(|m| (*m).to_owned()));
    let rows =
        rows(report)
            .map(|figures| {
                let mut row = vec![Cell::text(name_of(words, figures))];
                row.extend(months.iter().map(|month| {
                    share(figures.months.iter().find(|m| m.month == *month).and_then(|m| m.participation))
                }));
                row
            })
            .collect();
    Table { name: "communities_by_month", header, rows }
}
