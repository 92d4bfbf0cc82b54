-- The stored publication of every indicator (`domain::disclosure::publish`): what readers
-- without raw access see of every cell, worked out whole and audited. Every write that changes
-- it (an approval, a working area, the indicator's rules, a classification) raises `wanted` in
-- its own transaction; a refresh stores the publication it made from what was there at
-- `wanted` = `made`, and only over an older one. `body` is the publication as JSON.
CREATE TABLE publications (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    indicator_id BIGINT NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
    wanted BIGINT NOT NULL,
    made BIGINT NOT NULL,
    body TEXT,
    made_at BIGINT,
    PRIMARY KEY (collaboration_id, indicator_id)
);
CREATE INDEX publications_due ON publications(made, wanted);
-- Every indicator there is gets its publication worked out at the next start.
INSERT INTO publications (collaboration_id, indicator_id, wanted, made) SELECT collaboration_id, id, 1, 0 FROM indicators;
