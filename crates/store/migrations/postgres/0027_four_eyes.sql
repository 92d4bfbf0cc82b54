-- Four eyes: when set, figures are approved by another member than the one who submitted them.
ALTER TABLE collaborations ADD COLUMN four_eyes BOOLEAN NOT NULL DEFAULT FALSE;
