-- Children in after-school care (托管, 小饭桌) handed over safely. Staff mark an activity as
-- after-school care; there a child's check-in is their drop-off and a pick-up is kept here, one
-- per child and session (the primary key: a second pick-up at another kiosk is answered
-- "already picked up" and counted once). Guardians are residents of the site (kiosks get their
-- ids only); pick-up contacts who are not residents are for staff, with a phone.
ALTER TABLE activities ADD COLUMN after_school BIGINT NOT NULL DEFAULT 0;
ALTER TABLE recurring_activities ADD COLUMN after_school BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sites ADD COLUMN pick_up_alert_minutes BIGINT NOT NULL DEFAULT 15;
CREATE TABLE guardians (
    child_id    TEXT NOT NULL REFERENCES residents (id),
    guardian_id TEXT NOT NULL REFERENCES residents (id),
    site_id     TEXT NOT NULL REFERENCES sites (id),
    PRIMARY KEY (child_id, guardian_id)
);
CREATE INDEX guardians_by_guardian ON guardians (guardian_id);
CREATE TABLE pick_up_contacts (
    id       TEXT PRIMARY KEY,
    child_id TEXT NOT NULL REFERENCES residents (id),
    site_id  TEXT NOT NULL REFERENCES sites (id),
    name     TEXT NOT NULL,
    phone    TEXT NOT NULL,
    relation TEXT
);
CREATE INDEX pick_up_contacts_by_child ON pick_up_contacts (child_id);
CREATE TABLE pick_ups (
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    child_id     TEXT NOT NULL REFERENCES residents (id),
    site_id      TEXT NOT NULL REFERENCES sites (id),
    -- The kiosk's time of the tap, or the server's when staff checked the child out.
    picked_up_at BIGINT NOT NULL,
    applied_at   BIGINT NOT NULL,
    -- Exactly one of: the guardian at a kiosk (and the record), or staff with a reason.
    guardian_id  TEXT REFERENCES residents (id),
    record_id    TEXT,
    staff_id     TEXT,
    reason       TEXT,
    PRIMARY KEY (activity_id, child_id)
);
CREATE INDEX pick_ups_by_site ON pick_ups (site_id, picked_up_at);
