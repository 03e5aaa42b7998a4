/** The default tenant that `apiKey` / `FORESIGHT_API_KEY` and `foresight keys create` use. */
export const DEFAULT_CLIENT_ID = 'default';
