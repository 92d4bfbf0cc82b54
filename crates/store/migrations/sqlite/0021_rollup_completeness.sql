-- An area whose finest cover is incomplete (a wijk measured through some of its buurten, a
-- gemeente through some of its wijken) keeps no sum: `measured` of its `areas` have a figure.
-- Both are NULL when the figure is exact. Emptying `period_counts` makes the start after this
-- migration work every summary out again (`store::rollup`, `ensure_summaries`), with these.
ALTER TABLE rollups ADD COLUMN measured BIGINT;
ALTER TABLE rollups ADD COLUMN areas BIGINT;
DELETE FROM period_counts;
