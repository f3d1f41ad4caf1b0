-- Each session's waiting list, counted where seats are decided and kept beside seats_taken:
-- reports read a year of sessions at once, and counting the line of each of them there was
-- most of the time (PostgreSQL: one index probe for each of 12,000 sessions).
ALTER TABLE activities ADD COLUMN waiting BIGINT NOT NULL DEFAULT 0;
UPDATE activities SET waiting =
    (SELECT COUNT(*) FROM sign_ups WHERE sign_ups.activity_id = activities.id AND sign_ups.status = 'waiting');
