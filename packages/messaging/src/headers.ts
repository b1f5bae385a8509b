import type { IHeaders } from 'kafkajs';

/** Headers the consumer runner adds when it forwards a message for a retry. */
export const RetryHeaders = {
  /** Retry number this copy is for (1 for the first retry). */
  attempt: 'retry.attempt',
  /** When this copy is due, in ms since the epoch. */
  dueAt: 'retry.due-at',
  /** Where the message was first read: kept across retries so a dead letter names it. */
  sourceTopic: 'retry.source.topic',
  sourcePartition: 'retry.source.partition',
  sourceOffset: 'retry.source.offset',
} as const;

/** Headers a dead letter carries beside the original ones. */
export const DeadLetterHeaders = {
  errorMessage: 'dlq.error.message',
  errorClass: 'dlq.error.class',
  errorCode: 'dlq.error.code',
  /** Attempts made, the first one included. */
  attempts: 'dlq.attempts',
  sourceTopic: 'dlq.source.topic',
  sourcePartition: 'dlq.source.partition',
  sourceOffset: 'dlq.source.offset',
  consumerGroup: 'dlq.consumer.group',
  /** ISO time of the last failure. */
  failedAt: 'dlq.failed.at',
} as const;

const OWN_PREFIXES = ['retry.', 'dlq.'];

/** A header value as text, or undefined. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** A header value as an integer, or `fallback` when absent or not a number. */
export function headerInt(headers: IHeaders | undefined, name: string, fallback: number): number {
  const parsed = Number.parseInt(headerText(headers, name) ?? '', 10);
  return Number.isFinite(parsed) ? parsed : fallback;
}

/** The headers that came from the producer, without the ones this runner adds. */
export function originalHeaders(headers: IHeaders | undefined): IHeaders {
  const kept: IHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!OWN_PREFIXES.some((prefix) => name.startsWith(prefix))) kept[name] = value;
  }
  return kept;
}
