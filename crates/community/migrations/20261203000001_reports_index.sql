-- Reports read a period's kept sign-ins by when they happened, and whether a resident came
-- before a period (new or returning) by that resident's own kept sign-ins. Partial and
-- covering: only kept sign-ins, with what the reports need, so a month is read from the index
-- alone and check-ins keep using their activity's index. Queries must name the same
-- conditions (crates/server/src/reports/visits.rs).
CREATE INDEX kiosk_records_sign_ins_by_time ON kiosk_records (happened_at, kiosk_id, resident_id)
    WHERE action = 'sign_in' AND outcome = '{"status":"accepted"}';
CREATE INDEX kiosk_records_sign_ins_by_resident ON kiosk_records (resident_id, happened_at, kiosk_id)
    WHERE action = 'sign_in' AND outcome = '{"status":"accepted"}';
