/** How often and how late a failed message is tried again. */
export interface RetryPolicy {
  /** Retries after the first attempt before dead-lettering (default 5; 0 dead-letters at once). */
  maxRetries: number;
  /** Base of the exponential backoff in ms (default 100). */
  baseDelayMs: number;
  /** Longest wait before one retry in ms (default 30,000). */
  maxDelayMs: number;
  /** Largest random extra delay in ms, so retries of many messages spread out (default 100). */
  jitterMs: number;
}

/** The policy DESIGN.md gives: min(30 s, 2^attempt × 100 ms + random 0–100 ms), 5 retries. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  jitterMs: 100,
};

/** The wait before retry number `attempt` (1 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const exponential = 2 ** attempt * policy.baseDelayMs;
  return Math.min(policy.maxDelayMs, Math.round(exponential + random() * policy.jitterMs));
}
