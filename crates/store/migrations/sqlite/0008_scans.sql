-- Self-scan and survey rounds, each with its own copy of the questionnaire, the invitation
-- links that bring respondents, and the answers. An answer row holds no link, no time and a
-- random key, so nothing ties it to the link that brought it; links only count their use.
CREATE TABLE scan_rounds (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    template_key TEXT NOT NULL,
    template TEXT NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    min_group BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX scan_rounds_collaboration ON scan_rounds(collaboration_id);

CREATE TABLE scan_links (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    round_id BIGINT NOT NULL REFERENCES scan_rounds(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    sector TEXT NOT NULL,
    reusable BOOLEAN NOT NULL,
    uses BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX scan_links_round ON scan_links(round_id);

CREATE TABLE scan_answers (
    id TEXT PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES scan_rounds(id) ON DELETE CASCADE,
    sector TEXT NOT NULL,
    level TEXT NOT NULL,
    answers TEXT NOT NULL
);
CREATE INDEX scan_answers_round ON scan_answers(round_id);
