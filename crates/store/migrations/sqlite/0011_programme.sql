-- The execution programme: ambitions, the measurable goals under them and the activities
-- that serve a goal, each activity kept whole as JSON beside the columns that lists, the
-- timeline and references need, and its dated progress notes, which are only ever added.
CREATE TABLE programme_ambitions (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX programme_ambitions_collaboration ON programme_ambitions(collaboration_id);

CREATE TABLE programme_goals (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    ambition_id BIGINT NOT NULL REFERENCES programme_ambitions(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    measure TEXT NOT NULL,
    target_date TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX programme_goals_ambition ON programme_goals(ambition_id);

CREATE TABLE programme_activities (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    goal_id BIGINT NOT NULL REFERENCES programme_goals(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    status TEXT NOT NULL,
    trekker_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    owner_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    agreement_id BIGINT REFERENCES agreements(id) ON DELETE SET NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX programme_activities_collaboration ON programme_activities(collaboration_id, starts);
CREATE INDEX programme_activities_goal ON programme_activities(goal_id);

CREATE TABLE programme_notes (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES programme_activities(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX programme_notes_activity ON programme_notes(activity_id);
