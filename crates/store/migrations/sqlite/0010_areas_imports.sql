-- The CBS area classification per year (gemeente, wijk, buurt with its parent), the
-- collaboration's own scopes over areas, periods a beheerder has locked, and the story
-- partners tell behind each indicator's figures per period.
CREATE TABLE areas (
    year INTEGER NOT NULL,
    code TEXT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    parent TEXT NOT NULL,
    PRIMARY KEY (year, code)
);

CREATE TABLE scopes (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    members TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (collaboration_id, name)
);

CREATE TABLE period_locks (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    locked_by TEXT NOT NULL,
    locked_at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, period)
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    UNIQUE (indicator_id, period)
);
