-- The meeting structure: bodies and the body each reports to.
CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    reports_to BIGINT REFERENCES bodies(id) ON DELETE SET NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX bodies_collaboration ON bodies(collaboration_id);
