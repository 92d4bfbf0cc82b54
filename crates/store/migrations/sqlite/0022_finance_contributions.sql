-- Contributions to the collaboration: per partner, year and funding source, money in whole
-- cents and/or hours with an hourly rate, how firm it is and the agreement that records it.
-- Every version is kept whole, as agreements keep theirs.
CREATE TABLE finance_contributions (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    partner_id BIGINT NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    amount_cents BIGINT,
    hours BIGINT,
    hourly_rate_cents BIGINT,
    agreement_id BIGINT REFERENCES agreements(id) ON DELETE SET NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX finance_contributions_collaboration ON finance_contributions(collaboration_id, year);

CREATE TABLE finance_contribution_versions (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    contribution_id BIGINT NOT NULL REFERENCES finance_contributions(id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (contribution_id, version)
);
