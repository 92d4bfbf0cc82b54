-- A scan round is split into groups along one dimension only, chosen before it opens: sector,
-- niveau, or none ('') for everyone together.
ALTER TABLE scan_rounds ADD COLUMN split_by TEXT NOT NULL DEFAULT '';
