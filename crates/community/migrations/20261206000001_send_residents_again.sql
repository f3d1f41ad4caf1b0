-- Kiosks now hold each resident's own figures (a volunteer's hours, the sessions to ask them
-- about), which arrive with the resident's row. Kiosks already running hold rows from before:
-- every resident gets a new change number, so each kiosk's next pull sends the roster again.
UPDATE sites SET version = version + 1;
UPDATE residents SET version = (SELECT sites.version FROM sites WHERE sites.id = residents.site_id);
