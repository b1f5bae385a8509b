import { isDependencyUnavailable } from '@orderflow/platform';

/** Codes of the errors the messaging package raises. */
export const MessagingErrorCodes = {
  forwardFailed: 'MESSAGING_ERR_FORWARD_FAILED',
} as const;

/** Writing a message to the retry or dead-letter topic failed; the source is not committed. */
export class ForwardError extends Error {
  readonly code = MessagingErrorCodes.forwardFailed;
  readonly retriable = true;

  constructor(topic: string, cause: unknown) {
    super(`could not write to ${topic}`, { cause });
    this.name = 'ForwardError';
  }
}

/**
 * How a failed message is treated:
 * - `permanent`: it can never succeed (bad value, programming error): dead-letter now.
 * - `transient`: this attempt failed but another may not (deadlock, serialization
 *   failure, timeout): retry later through the retry topic, then dead-letter.
 * - `unavailable`: a dependency is down, so the message is not at fault: keep it in
 *   place and try again after a pause, without spending one of its attempts.
 */
export type FailureKind = 'permanent' | 'transient' | 'unavailable';

const PROGRAMMING_ERRORS = [TypeError, ReferenceError, SyntaxError, RangeError];
// Postgres SQLSTATEs: serialization_failure, deadlock_detected, lock_not_available,
// query_canceled (statement_timeout).
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57014']);
// Class 22 (data exception: invalid text, value out of range) and class 23 (integrity
// constraint violation): the same message will fail the same way every time.
const PERMANENT_SQLSTATE_CLASSES = ['22', '23'];

/** Decides, from error fields and never from message text, what to do with a failure. */
export function classifyFailure(err: unknown): FailureKind {
  if (!(err instanceof Error)) return 'transient';
  if (isDependencyUnavailable(err)) return 'unavailable';
  const { code, retriable } = err as { code?: unknown; retriable?: unknown };

  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code)) return 'transient';
    if (/^[0-9A-Z]{5}$/.test(code) && PERMANENT_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return 'permanent';
  }
  if (retriable === false) return 'permanent';
  if (retriable === true) return 'transient';
  if (PROGRAMMING_ERRORS.some((type) => err instanceof type)) return 'permanent';
  // Unknown failures get the retries: a message that keeps failing still ends in the
  // dead-letter topic, so nothing is lost either way.
  return 'transient';
}
