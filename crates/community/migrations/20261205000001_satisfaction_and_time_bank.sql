-- Satisfaction (满意度) and the time bank (爱心银行): records like sign-ins, kept on the kiosk
-- first, decided and kept here once.

-- Volunteers on the roster, and activities that are volunteer service.
ALTER TABLE residents ADD COLUMN volunteer BIGINT NOT NULL DEFAULT 0;
ALTER TABLE activities ADD COLUMN volunteer_service BIGINT NOT NULL DEFAULT 0;
ALTER TABLE recurring_activities ADD COLUMN volunteer_service BIGINT NOT NULL DEFAULT 0;
-- How much longer than its session a volunteer's service may count (staff set it per site).
ALTER TABLE sites ADD COLUMN service_margin_minutes BIGINT NOT NULL DEFAULT 30;

-- One rating per resident and session: a second from another kiosk is answered, not counted.
CREATE TABLE ratings (
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    resident_id  TEXT NOT NULL REFERENCES residents (id),
    rating       TEXT NOT NULL,           -- satisfied | so_so | not_satisfied | skipped
    rated_at     BIGINT NOT NULL,         -- the kiosk's clock
    kiosk_id     TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    PRIMARY KEY (activity_id, resident_id)
);

-- Each 开始服务 / 结束服务 tap, at the server's time (the kiosk's clock corrected by its
-- measured difference). Hours are made from them (service_hours), again whenever one arrives.
CREATE TABLE service_taps (
    kiosk_id     TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    record_id    TEXT NOT NULL,
    resident_id  TEXT NOT NULL REFERENCES residents (id),
    activity_id  TEXT NOT NULL REFERENCES activities (id),
    kind         TEXT NOT NULL,           -- start | end
    at           BIGINT NOT NULL,
    PRIMARY KEY (kiosk_id, seq)
);
CREATE INDEX service_taps_by_volunteer ON service_taps (activity_id, resident_id);

-- Hours per volunteer: counted from taps; a start without an end (open: held for staff once
-- its day is over) or an end without a start (end_only: held); confirmed by staff, or honoured
-- from paper with a reason. Rows made from taps are made again whenever a tap arrives.
CREATE TABLE service_hours (
    id           TEXT PRIMARY KEY,
    site_id      TEXT NOT NULL,
    resident_id  TEXT NOT NULL REFERENCES residents (id),
    activity_id  TEXT,
    day          TEXT NOT NULL,
    half_hours   BIGINT NOT NULL,
    state        TEXT NOT NULL,           -- counted | open | end_only | confirmed | honoured
    started_at   BIGINT,
    ended_at     BIGINT,
    start_record TEXT,                    -- the taps' record ids, so staff's decisions stick
    end_record   TEXT,
    note         TEXT,
    changed_by   TEXT,
    changed_at   BIGINT NOT NULL
);
CREATE INDEX service_hours_by_volunteer ON service_hours (site_id, resident_id, day);
