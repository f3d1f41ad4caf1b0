-- For reports by age group (children, adults, 60–79, 80+); optional, never sent to kiosks.
ALTER TABLE residents ADD COLUMN birth_year BIGINT;
