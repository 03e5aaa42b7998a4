/**
 * A value the command line got, with the name to blame in an error: the flag when it
 * was given, else the env variable it fell back to.
 */
export interface Setting {
  value: string;
  /** `--port`, or `FORESIGHT_PORT` when the value came from the environment. */
  name: string;
}

/** The flag's value over its env variable (an empty variable counts as unset). */
export function setting(
  flagValue: string | undefined,
  flag: string,
  envName: string,
  env: NodeJS.ProcessEnv = process.env,
): Setting | undefined {
  if (flagValue !== undefined) return { value: flagValue, name: flag };
  const fromEnv = env[envName];
  return fromEnv ? { value: fromEnv, name: envName } : undefined;
}
