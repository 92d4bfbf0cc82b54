-- A working area says what it is for; its members stay a JSON list of areas and locations.
ALTER TABLE scopes ADD COLUMN description TEXT NOT NULL DEFAULT '';
