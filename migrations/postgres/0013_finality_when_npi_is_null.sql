-- Nothing to change on PostgreSQL: SQLite's REPLACE gap (its 0013) does not exist here, since
-- PostgreSQL has no INSERT OR REPLACE and refuses a NULL in a NOT NULL column. Kept so both
-- dialects number their migrations alike.
SELECT 1;
