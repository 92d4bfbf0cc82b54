-- Indicators chosen together, and their measurements per area and period, kept as their
-- parts (numerator and denominator, or sum and n) so that they add up exactly.
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (collaboration_id, code)
);

CREATE TABLE measurements (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    area TEXT NOT NULL,
    period TEXT NOT NULL,
    numerator REAL NOT NULL,
    denominator REAL,
    status TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    UNIQUE (indicator_id, area, period)
);
CREATE INDEX measurements_indicator ON measurements(indicator_id, period);
