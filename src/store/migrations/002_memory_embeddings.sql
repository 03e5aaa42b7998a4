-- requires: vector
-- Applied only where pgvector is installed; the runner leaves it pending elsewhere,
-- so it applies on the first start after the extension appears. The column has no
-- fixed dimension: the embedding model is configurable, and an index with a
-- dimension belongs to the migration that fixes one.
ALTER TABLE memories ADD COLUMN IF NOT EXISTS embedding vector;
