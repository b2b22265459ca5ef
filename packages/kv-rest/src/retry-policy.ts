/** HTTP statuses worth retrying: request timeout, rate limit and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Computes the wait before retry number `retry` (1-based): exponential from `baseDelayMs`, capped
 * at `maxDelayMs`, with "equal jitter" (half fixed, half random) so that clients rejected together
 * do not all come back at the same moment.
 */
export function computeBackoffMs(
  retry: number,
  baseDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/**
 * Parses a `Retry-After` header, either delay-seconds or an HTTP date, into milliseconds from
 * `now`. Returns undefined when the header is absent or invalid; a date in the past gives 0.
 */
export function parseRetryAfterMs(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();

  if (/^\d+$/.test(text)) return Number(text) * 1000;

  // An HTTP date always names its weekday and month; without letters, Date.parse would read
  // text such as "-1" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * Resolves after `ms`, or rejects with the signal's reason as soon as `signal` aborts, so an
 * abort during a retry wait ends the call at once.
 */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
