-- The travel plan's progress and reflections, practice examples, and the obstacles register.
ALTER TABLE users ADD COLUMN national_reader BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE journey_progress (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    step_key TEXT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    set_on TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, step_key)
);

CREATE TABLE reflections (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    question_key TEXT NOT NULL,
    answer TEXT NOT NULL,
    answered_on TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX reflections_collaboration ON reflections(collaboration_id, question_key);

CREATE TABLE examples (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    place TEXT NOT NULL,
    age_group TEXT,
    themes TEXT NOT NULL,
    sectors TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    why TEXT NOT NULL,
    source TEXT NOT NULL,
    shared BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX examples_collaboration ON examples(collaboration_id);

CREATE TABLE obstacles (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    effect TEXT NOT NULL,
    tried TEXT NOT NULL,
    status TEXT NOT NULL,
    response TEXT NOT NULL,
    responded_at BIGINT,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE obstacle_recognitions (
    obstacle_id BIGINT NOT NULL REFERENCES obstacles(id) ON DELETE CASCADE,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    context TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (obstacle_id, collaboration_id)
);
