-- Pots (budgets) with their purpose, period, co-funding split and whether spending may go
-- beyond what is secured; the contributions that fill a pot; what a pot plans for a
-- programme activity per year, and what is spent from it, which is only ever added.
CREATE TABLE finance_pots (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    overspend_allowed BOOLEAN NOT NULL,
    content TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX finance_pots_collaboration ON finance_pots(collaboration_id);

ALTER TABLE finance_contributions ADD COLUMN pot_id BIGINT REFERENCES finance_pots(id) ON DELETE SET NULL;

CREATE TABLE finance_plans (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    pot_id BIGINT NOT NULL REFERENCES finance_pots(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES programme_activities(id) ON DELETE CASCADE,
    year TEXT NOT NULL,
    planned_cents BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX finance_plans_pot ON finance_plans(pot_id);

CREATE TABLE finance_spendings (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    pot_id BIGINT NOT NULL REFERENCES finance_pots(id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES programme_activities(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    description TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX finance_spendings_pot ON finance_spendings(pot_id);
