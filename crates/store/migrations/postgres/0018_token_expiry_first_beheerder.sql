-- Personal API tokens expire. Tokens made before this step get 90 days from now.
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = CAST(EXTRACT(EPOCH FROM now()) AS BIGINT) + 90 * 86400;

-- The beheerder a collaboration was created with, which is all the instance administrator
-- sees of its members. For existing collaborations: the beheerder who has the lowest id.
ALTER TABLE collaborations ADD COLUMN first_beheerder_id BIGINT REFERENCES users(id);
UPDATE collaborations SET first_beheerder_id =
    (SELECT MIN(m.user_id) FROM memberships m WHERE m.collaboration_id = collaborations.id AND m.role = 'beheerder');
