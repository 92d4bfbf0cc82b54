-- Meetings of the bodies, with agenda, attendance and minutes kept whole per meeting, and
-- the action points they give, which people follow across collaborations.
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    body_id BIGINT REFERENCES bodies(id) ON DELETE SET NULL,
    date TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_collaboration ON meetings(collaboration_id, date);

CREATE TABLE action_points (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    owner_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    due TEXT NOT NULL,
    status TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX action_points_meeting ON action_points(meeting_id);
CREATE INDEX action_points_owner ON action_points(owner_id);
