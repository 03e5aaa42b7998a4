/**
 * `foresight/server`: the self-hostable context server. `createServer` lands with the
 * server; until then this entry is empty.
 */
export {};
