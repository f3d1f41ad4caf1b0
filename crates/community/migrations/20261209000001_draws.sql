-- Full classes drawn fairly (摇号). An activity whose sign-up is a draw takes entries until
-- draw_closes_at; the draw runs at draws_at (the close plus staff's grace for kiosks that were
-- offline) with the seed published when entries opened, once: drawn_at is set by the one
-- conditional update that makes it. Each entry keeps its place in the drawn order.
ALTER TABLE activities ADD COLUMN draw_closes_at BIGINT;
ALTER TABLE activities ADD COLUMN draws_at BIGINT;
ALTER TABLE activities ADD COLUMN draw_seed TEXT;
ALTER TABLE activities ADD COLUMN drawn_at BIGINT;
ALTER TABLE sign_ups ADD COLUMN drawn_place BIGINT;
CREATE INDEX activities_draws_due ON activities (draws_at) WHERE draws_at IS NOT NULL AND drawn_at IS NULL;
