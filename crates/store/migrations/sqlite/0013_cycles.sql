-- Learning cycles (plan, do, check, act) per period: findings, the meeting where they were
-- discussed, decisions with what they change, and successes.
CREATE TABLE cycles (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cycles_collaboration ON cycles(collaboration_id, period);
