/**
 * `promise`'s value, or `undefined` after `timeoutMs`. The timer is ref'd on purpose: a
 * model call awaits it, and an unref'd one would never fire in a script with nothing
 * else alive (the call would never settle). It is cleared as soon as the race ends.
 */
export async function within<T>(promise: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
