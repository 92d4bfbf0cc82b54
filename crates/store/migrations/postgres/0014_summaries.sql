-- What the indicator pages read, kept up to date by every write to measurements (see
-- store::rollup): per indicator and period the approved figure of every gemeente and wijk and
-- the collaboration's total (area ''), and how many measurements there are per status. A
-- national indicator has some 15,000 buurten a period; adding those up on every page view
-- took half a second, reading these takes a few milliseconds.
CREATE TABLE rollups (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    area TEXT NOT NULL,
    numerator DOUBLE PRECISION NOT NULL,
    denominator DOUBLE PRECISION,
    PRIMARY KEY (indicator_id, period, area)
);
CREATE INDEX rollups_area ON rollups(indicator_id, area, period);

CREATE TABLE period_counts (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    measurements BIGINT NOT NULL,
    last_changed BIGINT NOT NULL,
    PRIMARY KEY (indicator_id, period, status)
);
