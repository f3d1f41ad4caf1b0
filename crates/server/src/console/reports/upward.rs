//! `/console/reports/upward`: the monthly report upward (月报), in the form offices send it —
//! one A4 page and one XLSX sheet for a month, of the signed-in site or (`sites=all`) of every
//! site the account reads. Its figures are the communities' (`reports::communities`), so they
//! are the reports' own; each is defined in one line under the table.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiayuan_domain::reports::Period;

use crate::console::auth::Reader;
use crate::console::error::ConsoleError;
use crate::console::i18n::Words;
use crate::console::page::Chrome;
use crate::console::render;
use crate::state::AppState;

use super::download::file;
use super::{Controls, ReportQuery, controls};
use jiayuan_community::reports::communities::{self as report, CommunityFigures};
use jiayuan_community::reports::export::{Cell, FileKind, Table};

#[derive(Template)]
#[template(path = "console/report_upward.html")]
struct UpwardPage {
    chrome: Chrome,
    controls: Controls,
    /// Whose report: the site's name, or the sites' names.
    whose: String,
    /// The figures, each with its definition.
    figures: Table,
    definitions: Vec<String>,
    month: String,
    whole: bool,
}

impl UpwardPage {
    fn one_site(&self) -> String {
        self.controls.link_for(&self.controls.period).replace("&sites=all", "")
    }

    fn all_sites(&self) -> String {
        format!("{}&sites=all", self.one_site())
    }
}

pub async fn upward(
    State(state): State<AppState>,
    Reader(signed_in): Reader,
    Query(query): Query<ReportQuery>,
) -> Result<Response, ConsoleError> {
    let whole = query.sites == "all";
    let extra = if whole { "&sites=all".to_owned() } else { String::new() };
    let mut controls = controls(&state, &signed_in, "/console/reports/upward", &query, extra).await?;
    controls.period = Period::month_of(controls.period.from);
    controls.rooms.clear();
    // The signed-in site, or every site the account works on; never another.
    let mut sites = jiayuan_community::sites::of_staff(&state.db, signed_in.staff_id()).await?;
    if !whole {
        sites.retain(|(id, _)| id == signed_in.site_id());
    }
    let side_by_side = report::side_by_side(&state.db, &sites, controls.scope(&state, &signed_in)).await?;
    let words = Words::new(signed_in.lang);
    let (figures, definitions) = figures_table(&words, &side_by_side.whole);
    if let Some(kind) = FileKind::parse(&query.format) {
        return Ok(file(kind, &figures, &controls.period.slug())?);
    }
    let whose = sites.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join("、");
    let month = format!("{}-{:02}", controls.period.from.year(), u8::from(controls.period.month()));
    let title = words.t("upward.title").into_owned();
    let path = controls.link_for(&controls.period);
    let chrome = Chrome::signed_in(&state, &signed_in, "reports", title, &path).await?;
    render(&UpwardPage { chrome, controls, whose, figures, definitions, month, whole })
}

fn share(per_mille: Option<i64>) -> Cell {
    per_mille.map_or(Cell::NotYet, Cell::PerMille)
}

/// The figures offices report, a row each (what, value, how it is counted), and the
/// definitions to print under the table.
fn figures_table(words: &Words, figures: &CommunityFigures) -> (Table, Vec<String>) {
    let mut rows: Vec<(String, Cell, String)> = [
        ("upward.sessions", Cell::Number(figures.sessions_held)),
        ("upward.visits", Cell::Number(figures.visits)),
        ("upward.came", Cell::Number(figures.came)),
        ("upward.participation", share(figures.participation)),
        ("upward.hours", Cell::Tenths(figures.service_half_hours.saturating_mul(5))),
        ("upward.volunteers", Cell::Number(figures.volunteers)),
        ("upward.satisfied", share(figures.satisfied())),
        ("upward.answered", Cell::Number(figures.ratings.answered())),
    ]
    .into_iter()
    .map(|(key, cell)| (words.t(key).into_owned(), cell, words.t(&format!("{key}_how")).into_owned()))
    .collect();
    for group in &figures.by_age {
        let age = words.t(&format!("age.{}", group.group.name())).into_owned();
        let came = words.t("upward.age_came").replace("%{age}", &age);
        let share_of = words.t("upward.age_participation").replace("%{age}", &age);
        rows.push((came, Cell::Number(group.came), words.t("upward.age_came_how").into_owned()));
        rows.push((share_of, share(group.participation), words.t("upward.age_participation_how").into_owned()));
    }
    let definitions = rows
        .iter()
        .take(8)
        .map(|(what, _, how)| format!("{what}：{how}"))
        .chain([words.t("upward.age_how").into_owned()]);
    let definitions = definitions.collect();
    let header = ["upward.what", "upward.value", "upward.how"].map(|key| words.t(key).into_owned()).to_vec();
    let rows = rows.into_iter().map(|(what, cell, how)| vec![Cell::Text(what), cell, Cell::Text(how)]).collect();
    (Table { name: "monthly_report", header, rows }, definitions)
}
