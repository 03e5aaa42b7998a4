-- What clients reported using of the bundles they were served (`context_used`): per
-- user, per tool the bundle answered ('' for a turn), per item, how often it was in a
-- reported bundle (serves) and how often it was used (uses). Ranking reads it back
-- (engine/item-usage.ts): an item used for a tool counts for that tool again, one
-- served and never used counts less.
CREATE TABLE IF NOT EXISTS item_usage (
  client_id     text NOT NULL,
  user_id       text NOT NULL,
  customer_id   text NOT NULL DEFAULT '',
  tool_name     text NOT NULL DEFAULT '',
  item_id       text NOT NULL,
  uses          integer NOT NULL DEFAULT 0,
  serves        integer NOT NULL DEFAULT 0,
  last_used_at  timestamptz NOT NULL,
  PRIMARY KEY (client_id, user_id, customer_id, tool_name, item_id)
);
