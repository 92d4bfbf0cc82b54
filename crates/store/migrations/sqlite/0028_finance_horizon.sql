-- How far ahead a collaboration looks for running work whose funding ends: in months, set by
-- a beheerder; without a row the horizon is twelve months.
CREATE TABLE finance_settings (
    collaboration_id BIGINT PRIMARY KEY REFERENCES collaborations(id) ON DELETE CASCADE,
    horizon_months BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
