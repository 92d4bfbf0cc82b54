-- Case reviews: per case a body such as an MDO handled, what the network learns from it (the
-- day, age band, domains, whether a suitable offer was reached, the days until then, what
-- stood in the way, the lesson), never who the child is. A review outlives its body, and the
-- smallest group a collaboration shows is set once for all its figures.
CREATE TABLE case_reviews (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    body_id BIGINT REFERENCES bodies(id) ON DELETE SET NULL,
    reviewed_on TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX case_reviews_collaboration ON case_reviews(collaboration_id, reviewed_on);

CREATE TABLE case_review_settings (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    min_group BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
