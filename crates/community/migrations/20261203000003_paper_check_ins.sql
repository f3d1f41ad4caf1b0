-- Ticks on a printed sign-in sheet, entered by staff after the session: check-ins from paper.
-- One row per session and resident, so entering a sheet twice counts nobody twice; reports
-- count a resident once whether they checked in at the kiosk, on paper, or both.
CREATE TABLE paper_check_ins (
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    resident_id  TEXT NOT NULL REFERENCES residents (id),
    entered_by   TEXT NOT NULL,
    entered_at   BIGINT NOT NULL,
    PRIMARY KEY (activity_id, resident_id)
);
