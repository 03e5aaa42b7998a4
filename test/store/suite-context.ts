import type { StoreLogger } from '../../src/store/database.js';
import type { Store } from '../../src/store/store.js';
import type { RecordingLogger, StoreBackend } from './store-backends.js';

/** What each behaviour group gets: one store shared by the describe block. */
export interface SuiteContext {
  backend: StoreBackend;
  /** The logger of the first open (it saw the migrations run). */
  openLogger: RecordingLogger;
  store(): Store;
  /** Closes the shared store and opens the same data again. */
  reopen(logger?: StoreLogger): Promise<Store>;
}
