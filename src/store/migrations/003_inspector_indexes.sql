-- The web inspector's pages (src/server/inspector): a tenant's conversations newest
-- first, paged by (updated_at, id); and a memory's predecessors (the memories it
-- superseded), so a supersession chain is walked both ways by index.
CREATE INDEX IF NOT EXISTS conversations_recent ON conversations (client_id, updated_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS memories_superseded_by ON memories (client_id, superseded_by)
  WHERE superseded_by IS NOT NULL;
