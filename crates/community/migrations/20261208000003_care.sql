-- Regulars who stop coming are noticed (关爱提醒). Residents may be marked as living alone and
-- have an emergency contact (staff only, never sent to kiosks); each site keeps its rule; each
-- follow-up is kept (and in the action log), and quiets the resident until the next absence.
ALTER TABLE residents ADD COLUMN lives_alone BIGINT NOT NULL DEFAULT 0;
ALTER TABLE residents ADD COLUMN emergency_contact TEXT;
ALTER TABLE residents ADD COLUMN emergency_phone TEXT;
ALTER TABLE sites ADD COLUMN care_regular_days BIGINT NOT NULL DEFAULT 4;
ALTER TABLE sites ADD COLUMN care_absent_days BIGINT NOT NULL DEFAULT 7;
CREATE TABLE follow_ups (
    id          TEXT PRIMARY KEY,
    site_id     TEXT NOT NULL REFERENCES sites(id),
    resident_id TEXT NOT NULL REFERENCES residents(id),
    at          BIGINT NOT NULL,
    -- The community's date, 2026-12-07.
    day         TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    note        TEXT,
    by_staff    TEXT NOT NULL
);
CREATE INDEX follow_ups_by_site ON follow_ups (site_id, day);
