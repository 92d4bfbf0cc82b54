-- Decisions on a breakthrough budget (doorbraakbudget): who decided (and the second mandate
-- holder above the maximum), when it was asked and decided, how much, and in the content the
-- stalled situation in categories and words and its outcome. Only ever added, as spending is;
-- the pot's mandate lives in the pot's content.
CREATE TABLE finance_decisions (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations(id) ON DELETE CASCADE,
    pot_id BIGINT NOT NULL REFERENCES finance_pots(id) ON DELETE CASCADE,
    requested TEXT NOT NULL,
    decided TEXT NOT NULL,
    amount_cents BIGINT NOT NULL,
    holder_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    second_holder_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    within_mandate BOOLEAN NOT NULL,
    content TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX finance_decisions_pot ON finance_decisions(pot_id);
