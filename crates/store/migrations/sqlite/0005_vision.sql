-- The shared vision: a draft being written, every adopted version, and each partner's
-- endorsement of a version.
CREATE TABLE visions (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    draft TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE vision_versions (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    adopted_by TEXT NOT NULL,
    adopted_at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, version)
);

CREATE TABLE vision_endorsements (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    partner_id BIGINT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    assent TEXT NOT NULL,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, version, partner_id)
);
