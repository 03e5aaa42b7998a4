-- The whole schema of the first release. Every tenant table carries client_id and
-- leads its keys and hot indexes with it: each query filters by the tenant first.
-- Conversation (and memory) ids are UUIDs; event and bundle conversation ids stay
-- text because the wire allows '' there ("any conversation").
-- GIN indexes on tsvector use fastupdate = off: with the pending list on, full-text
-- search after a bulk ingest was measured ~10x slower until autovacuum merged it.

CREATE TABLE clients (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  mode        text NOT NULL CHECK (mode IN ('b2c', 'b2b')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  client_id     text NOT NULL,
  name          text NOT NULL,
  secret_hash   text NOT NULL,
  instance_id   text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz,
  last_used_at  timestamptz
);
CREATE INDEX api_keys_client ON api_keys (client_id, created_at);

CREATE TABLE customers (
  client_id   text NOT NULL,
  id          text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);

CREATE TABLE users (
  client_id     text NOT NULL,
  id            text NOT NULL,
  -- The customer the user was first seen with; '' for B2C users without one.
  customer_id   text NOT NULL DEFAULT '',
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);

CREATE TABLE conversations (
  client_id      text NOT NULL,
  id             uuid NOT NULL,
  user_id        text NOT NULL,
  customer_id    text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  -- Maintained by the store on each recorded message, so reads need no count(*).
  message_count  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (client_id, id)
);
CREATE INDEX conversations_user ON conversations (client_id, user_id, updated_at DESC);

CREATE TABLE sessions (
  client_id        text NOT NULL,
  id               text NOT NULL,
  conversation_id  uuid NOT NULL,
  user_id          text NOT NULL,
  customer_id      text NOT NULL DEFAULT '',
  started_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);

CREATE TABLE messages (
  client_id        text NOT NULL,
  id               uuid NOT NULL DEFAULT gen_random_uuid(),
  -- Global recording order; conversations are read in seq order.
  seq              bigserial NOT NULL UNIQUE,
  conversation_id  uuid NOT NULL,
  user_id          text NOT NULL,
  customer_id      text NOT NULL DEFAULT '',
  session_id       text NOT NULL DEFAULT '',
  role             text NOT NULL CHECK (role IN ('user', 'assistant')),
  content          text NOT NULL,
  metadata         jsonb NOT NULL DEFAULT '{}',
  idempotency_key  text,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  tsv              tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  PRIMARY KEY (client_id, id),
  FOREIGN KEY (client_id, conversation_id) REFERENCES conversations (client_id, id)
);
CREATE UNIQUE INDEX messages_idempotency ON messages (client_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_conversation ON messages (client_id, conversation_id, seq);
CREATE INDEX messages_user ON messages (client_id, user_id, seq);
CREATE INDEX messages_tsv ON messages USING gin (tsv) WITH (fastupdate = off);

CREATE TABLE events (
  client_id        text NOT NULL,
  id               text NOT NULL,
  conversation_id  text NOT NULL DEFAULT '',
  user_id          text NOT NULL DEFAULT '',
  customer_id      text NOT NULL DEFAULT '',
  session_id       text NOT NULL DEFAULT '',
  event_type       text NOT NULL,
  role             text NOT NULL DEFAULT '',
  content          text NOT NULL DEFAULT '',
  tool_name        text NOT NULL DEFAULT '',
  tool_args        jsonb,
  search_queries   text[] NOT NULL DEFAULT '{}',
  context_types    text[] NOT NULL DEFAULT '{}',
  metadata         jsonb NOT NULL DEFAULT '{}',
  occurred_at      timestamptz NOT NULL,
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);
CREATE INDEX events_conversation ON events (client_id, conversation_id, occurred_at);

CREATE TABLE memories (
  client_id           text NOT NULL,
  id                  uuid NOT NULL,
  -- Insertion order that never ties (created_at is per transaction, and a batch shares one).
  seq                 bigserial NOT NULL UNIQUE,
  scope               text NOT NULL CHECK (scope IN ('conversation', 'user', 'customer', 'client')),
  user_id             text NOT NULL DEFAULT '',
  customer_id         text NOT NULL DEFAULT '',
  conversation_id     uuid,
  memory_type         text NOT NULL
    CHECK (memory_type IN ('facts', 'preferences', 'episodes', 'emotions', 'temporal_events')),
  content             text NOT NULL,
  entity_id           text NOT NULL DEFAULT '',
  subject_key         text NOT NULL DEFAULT '',
  confidence          real NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  category            text,
  strength            real CHECK (strength >= 0 AND strength <= 1),
  significance        real CHECK (significance >= 0 AND significance <= 1),
  participants        text[] NOT NULL DEFAULT '{}',
  event_date          timestamptz,
  valid_from          timestamptz NOT NULL DEFAULT now(),
  valid_until         timestamptz,
  superseded_by       uuid,
  temporal_category   text NOT NULL DEFAULT 'perpetual'
    CHECK (temporal_category IN ('perpetual', 'temporal_fact', 'episode')),
  source_message_ids  text[] NOT NULL DEFAULT '{}',
  metadata            jsonb NOT NULL DEFAULT '{}',
  created_at          timestamptz NOT NULL DEFAULT now(),
  tsv                 tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  PRIMARY KEY (client_id, id),
  CHECK (memory_type <> 'temporal_events' OR event_date IS NOT NULL),
  CHECK (scope <> 'conversation' OR conversation_id IS NOT NULL)
);
-- At most one current memory per subject: the store supersedes before it inserts,
-- and this index turns any race it missed into an error instead of two "latest" rows.
CREATE UNIQUE INDEX memories_current_subject ON memories (
  client_id, scope, user_id, customer_id,
  coalesce(conversation_id, '00000000-0000-0000-0000-000000000000'::uuid),
  memory_type, subject_key
) WHERE superseded_by IS NULL AND subject_key <> '';
CREATE INDEX memories_user ON memories (client_id, user_id, seq DESC);
CREATE INDEX memories_customer ON memories (client_id, customer_id, seq DESC);
CREATE INDEX memories_conversation ON memories (client_id, conversation_id, seq DESC)
  WHERE conversation_id IS NOT NULL;
CREATE INDEX memories_client_scope ON memories (client_id, seq DESC) WHERE scope = 'client';
CREATE INDEX memories_tsv ON memories USING gin (tsv) WITH (fastupdate = off);

CREATE TABLE bundles (
  client_id             text NOT NULL,
  id                    text NOT NULL,
  -- Cursor of the HTTP long-poll path.
  seq                   bigserial NOT NULL UNIQUE,
  conversation_id       text NOT NULL DEFAULT '',
  user_id               text NOT NULL DEFAULT '',
  customer_id           text NOT NULL DEFAULT '',
  in_reply_to_event_id  text NOT NULL DEFAULT '',
  bundle_type           text NOT NULL,
  payload               jsonb NOT NULL,
  retrieval_ms          integer NOT NULL DEFAULT 0,
  created_at            timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, id)
);
CREATE INDEX bundles_conversation ON bundles (client_id, conversation_id, seq);

CREATE TABLE compactions (
  client_id                text NOT NULL,
  id                       text NOT NULL,
  -- Creation order that never ties (now() is per transaction).
  seq                      bigserial NOT NULL UNIQUE,
  conversation_id          uuid NOT NULL,
  status                   text NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
  strategy                 text NOT NULL,
  target_tokens            integer,
  summary                  text NOT NULL DEFAULT '',
  facts                    text[] NOT NULL DEFAULT '{}',
  decisions                text[] NOT NULL DEFAULT '{}',
  preferences              text[] NOT NULL DEFAULT '{}',
  current_state            jsonb NOT NULL DEFAULT '{}',
  original_token_count     integer NOT NULL DEFAULT 0,
  compacted_token_count    integer NOT NULL DEFAULT 0,
  through_seq              bigint NOT NULL DEFAULT 0,
  compacted_message_count  integer NOT NULL DEFAULT 0,
  previous_id              text,
  error                    text,
  created_at               timestamptz NOT NULL DEFAULT now(),
  completed_at             timestamptz,
  PRIMARY KEY (client_id, id)
);
-- One queued or running compaction per conversation, enforced by the database so
-- two replicas cannot both start one.
CREATE UNIQUE INDEX compactions_active ON compactions (client_id, conversation_id)
  WHERE status IN ('queued', 'running');
CREATE INDEX compactions_conversation ON compactions (client_id, conversation_id, seq DESC);

CREATE TABLE ingestions (
  client_id        text NOT NULL,
  conversation_id  uuid NOT NULL,
  ingestion_id     text NOT NULL,
  transcript_hash  text NOT NULL,
  turns            integer NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, conversation_id)
);

-- Background work shared by replicas; claimed with FOR UPDATE SKIP LOCKED. Claims
-- are cross-tenant (a worker serves every client), so these indexes lead with status.
CREATE TABLE jobs (
  id            bigserial PRIMARY KEY,
  client_id     text NOT NULL,
  kind          text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}',
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'dead')),
  run_after     timestamptz NOT NULL DEFAULT now(),
  attempts      integer NOT NULL DEFAULT 0,
  locked_until  timestamptz,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (kind, run_after) WHERE status = 'queued';
CREATE INDEX jobs_leased ON jobs (kind, locked_until) WHERE status = 'running';
CREATE INDEX jobs_client ON jobs (client_id, created_at);

CREATE TABLE telemetry_events (
  id           bigserial PRIMARY KEY,
  client_id    text NOT NULL,
  event_type   text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}',
  received_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telemetry_events_client ON telemetry_events (client_id, received_at);

-- Server-wide values generated once and shared by replicas (e.g. the API key HMAC
-- secret when none is configured). Not tenant data.
CREATE TABLE settings (
  name        text PRIMARY KEY,
  value       text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
