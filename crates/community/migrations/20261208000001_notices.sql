-- Residents are told when their place changes (待通知). A notice is made in the transaction
-- that changes the place; it is told once: at a kiosk (the resident tapped on), by staff on
-- the phone, or undone before anyone heard of it (a cancellation restored). Rows stay as the
-- record of who was told, how and when.
CREATE TABLE notices (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL REFERENCES sites(id),
    resident_id  TEXT NOT NULL REFERENCES residents(id),
    activity_id  TEXT NOT NULL,
    change_kind  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    told_at      BIGINT,
    -- 'kiosk', 'phone' or 'undone'.
    told_how     TEXT,
    -- The kiosk or the staff account.
    told_by      TEXT,
    no_answer_at BIGINT,
    no_answer_by TEXT
);
-- One untold notice per resident and session: a later change rewrites it.
CREATE UNIQUE INDEX notices_untold ON notices (resident_id, activity_id) WHERE told_at IS NULL;
CREATE INDEX notices_site_untold ON notices (site_id, created_at) WHERE told_at IS NULL;

-- The resident's whole phone number, for staff who call (never sent to kiosks).
ALTER TABLE residents ADD COLUMN phone TEXT;
