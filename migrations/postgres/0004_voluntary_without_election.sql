-- A participant that is exempt and not opt-in eligible may report voluntarily without an
-- election; its submission says so (1), so Registry Submission Details can tell it from one
-- that needs no election because it is MIPS eligible or has elected (0).
ALTER TABLE submissions ADD COLUMN voluntary_without_election BIGINT NOT NULL DEFAULT 0;
