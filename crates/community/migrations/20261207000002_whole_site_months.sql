-- Residents' months now have a row for the whole site (room_id '') beside each room's. They are
-- made from the records: forgetting how the summaries were made has the next server start make
-- them all again (`reports::presence::make_again_unless_current`), as `rebuild-summaries` does.
DELETE FROM report_summary_state;
