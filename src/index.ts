/**
 * The client's public surface (`foresight`). The client itself (createClient, the
 * anticipation cache, the error hierarchy) lands with the client SDK; until then
 * this entry exports only what exists.
 */
export { SDK_VERSION } from './version.js';
