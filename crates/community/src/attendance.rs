//! Who holds a place in a session, who entered its draw and who came to it, each written once. Who came: a resident or a visitor whose check-in at a kiosk was
//! kept (answered "accepted"), or a resident ticked on the session's printed sheet. Reports,
//! satisfaction, a session's page and the removal of a session all ask it through these; a
//! resident who did both counts once.

use jiayuan_domain::sync::record::action_name::CHECK_IN;

/// The answer a kept sign-in or check-in was given, as stored beside it.
pub fn accepted() -> String {
    serde_json::to_string(&jiayuan_domain::sync::Outcome::Accepted).unwrap_or_default()
}

/// The same answer written into SQL, as the reports' partial indexes name it: a query must say
/// it in the same words for the database to use them.
pub const ACCEPTED_SQL: &str = r#"'{"status":"accepted"}'"#;

/// The residents who came to the session `activity` names (an SQL expression: `$1`,
/// `activities.id`), each once, as a subquery's rows of `resident_id`; visitors at a kiosk come as
/// one row of NULL, which `IN` passes over and `COUNT(*)` counts.
pub fn came_to(activity: &str) -> String {
    format!(
        "SELECT kiosk_records.resident_id FROM kiosk_records WHERE kiosk_records.activity_id = {activity} \
           AND kiosk_records.action = '{check_in}' AND kiosk_records.outcome = {ACCEPTED_SQL} \
         UNION SELECT paper_check_ins.resident_id FROM paper_check_ins WHERE paper_check_ins.activity_id = {activity}",
        check_in = CHECK_IN
    )
}

/// Everyone who came to the sessions `condition` picks from `sessions` (a FROM clause over
/// `activities`, which it may join), as rows of `(activity_id, resident_id)`: every kept
/// check-in and every paper tick, so a resident who did both appears twice (count them
/// `DISTINCT`); `resident_id` is NULL for a visitor. The condition is put inside each part, so
/// the database reads only those sessions' records through its indexes.
pub fn came(sessions: &str, condition: &str) -> String {
    came_with("", "", sessions, condition)
}

/// The same with a third column, `at`: when a kept check-in happened by its kiosk's clock, NULL
/// for a paper tick (a drop-off at after-school care is a check-in).
pub fn came_at(sessions: &str, condition: &str) -> String {
    came_with(", kiosk_records.happened_at AS at", ", CAST(NULL AS BIGINT) AS at", sessions, condition)
}

fn came_with(kiosk_extra: &str, paper_extra: &str, sessions: &str, condition: &str) -> String {
    format!(
        "SELECT kiosk_records.activity_id, kiosk_records.resident_id{kiosk_extra} {sessions} \
           JOIN kiosk_records ON kiosk_records.activity_id = activities.id \
                AND kiosk_records.action = '{check_in}' AND kiosk_records.outcome = {ACCEPTED_SQL} \
           WHERE {condition} \
         UNION ALL \
         SELECT paper_check_ins.activity_id, paper_check_ins.resident_id{paper_extra} {sessions} \
           JOIN paper_check_ins ON paper_check_ins.activity_id = activities.id \
           WHERE {condition}",
        check_in = CHECK_IN
    )
}

/// A sign-up that holds a place in a session: a seat or a place in line (an SQL condition on
/// `sign_ups`). A cancelled sign-up holds none, nor does one whose cancellation arrived first
/// (`cancel_pending`): that sign-up is cancelled the moment it arrives, or refused if the
/// session is gone by then, so removing the session takes nobody's place.
pub const HOLDS_A_PLACE: &str = "sign_ups.status IN ('confirmed', 'waiting')";

/// Whether the current row of `sign_ups` is an entry to its session's draw: entered and not
/// drawn yet, or placed by the draw (seated or waiting in drawn order). Entries that arrived
/// after the draw joined the line without a drawn place, and are not among them.
pub const IS_ENTRY: &str = "(sign_ups.drawn_place IS NOT NULL OR sign_ups.status = 'entered')";

#[cfg(test)]
mod tests {
    use jiayuan_domain::seats::status;

    #[test]
    fn a_place_is_held_by_a_seat_or_a_place_in_line_only() {
        for held in [status::CONFIRMED, status::WAITING] {
            assert!(super::HOLDS_A_PLACE.contains(&format!("'{held}'")), "{held}");
            assert!(status::holds_a_place(held), "the domain says the same of {held}");
        }
        for not_held in [status::CANCELLED, status::CANCEL_PENDING] {
            assert!(!super::HOLDS_A_PLACE.contains(&format!("'{not_held}'")), "{not_held}");
            assert!(!status::holds_a_place(not_held), "the domain says the same of {not_held}");
        }
    }

    #[test]
    fn an_entry_is_the_status_the_seats_write() {
        let entered = format!("sign_ups.status = '{}'", status::ENTERED);
        assert!(super::IS_ENTRY.contains(&entered), "{}", super::IS_ENTRY);
    }

    #[test]
    fn the_sql_words_for_a_kept_record_are_what_the_server_stores() {
        assert_eq!(super::ACCEPTED_SQL, format!("'{}'", super::accepted()));
    }
}
