-- The responsibility matrix: topics per collaboration and a mark per topic and partner.
CREATE TABLE responsibility_topics (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX responsibility_topics_collaboration ON responsibility_topics(collaboration_id);

CREATE TABLE responsibility_marks (
    topic_id BIGINT NOT NULL REFERENCES responsibility_topics(id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    mark TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (topic_id, partner_id)
);
