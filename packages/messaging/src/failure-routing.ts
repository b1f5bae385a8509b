import type { KafkaMessage, IHeaders, Producer } from 'kafkajs';
import type { Logger } from '@orderflow/platform';
import { classifyFailure, ForwardError } from './errors.js';
import { DeadLetterHeaders, headerText, originalHeaders, RetryHeaders } from './headers.js';
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js';
import type { InboundMessage, RunnerEvents } from './types.js';

/** What routeFailure needs to know of the runner. */
export interface FailureRouting {
  /** Idempotent producer for the retry and dead-letter writes. */
  producer: Producer;
  topics: { retry: string; deadLetter: string };
  retry: RetryPolicy;
  groupId: string;
  log: Logger;
  events?: RunnerEvents;
}

/** What became of a message: handled or forwarded (`done`), or left where it is (`blocked`). */
export type FailureOutcome = 'done' | 'blocked';

/**
 * Sends a failed message where its failure says: nowhere when a dependency is down (the
 * caller pauses and reads it again), to the retry topic with its next attempt and due
 * time, or to the dead-letter topic with everything kept. Throws ForwardError when that
 * write fails, so the caller does not commit past the message.
 */
export async function routeFailure(
  routing: FailureRouting,
  inbound: InboundMessage,
  raw: KafkaMessage,
  err: unknown,
): Promise<FailureOutcome> {
  const { log, topics } = routing;
  const kind = classifyFailure(err);
  const fields = { err, topic: inbound.topic, partition: inbound.partition, offset: inbound.offset };
  if (kind === 'unavailable') {
    log.warn({ ...fields, attempt: inbound.attempt }, 'dependency unavailable, pausing partition');
    return 'blocked';
  }

  // Where the message was first read, kept across retries so a dead letter names it.
  const source = {
    topic: headerText(raw.headers, RetryHeaders.sourceTopic) ?? inbound.topic,
    partition: headerText(raw.headers, RetryHeaders.sourcePartition) ?? String(inbound.partition),
    offset: headerText(raw.headers, RetryHeaders.sourceOffset) ?? inbound.offset,
  };

  if (kind === 'transient' && inbound.attempt < routing.retry.maxRetries) {
    const attempt = inbound.attempt + 1;
    const delayMs = backoffDelayMs(routing.retry, attempt);
    await forward(routing.producer, topics.retry, raw, {
      ...originalHeaders(raw.headers),
      [RetryHeaders.attempt]: String(attempt),
      [RetryHeaders.dueAt]: String(Date.now() + delayMs),
      [RetryHeaders.sourceTopic]: source.topic,
      [RetryHeaders.sourcePartition]: source.partition,
      [RetryHeaders.sourceOffset]: source.offset,
    });
    log.warn({ ...fields, attempt, delayMs }, 'handler failed, will retry');
    routing.events?.retryScheduled?.(inbound, delayMs);
    return 'done';
  }

  const error = err instanceof Error ? err : new Error(String(err));
  await forward(routing.producer, topics.deadLetter, raw, {
    ...originalHeaders(raw.headers),
    [DeadLetterHeaders.errorMessage]: error.message,
    [DeadLetterHeaders.errorClass]: error.name,
    [DeadLetterHeaders.errorCode]: String((error as { code?: unknown }).code ?? ''),
    [DeadLetterHeaders.attempts]: String(inbound.attempt + 1),
    [DeadLetterHeaders.sourceTopic]: source.topic,
    [DeadLetterHeaders.sourcePartition]: source.partition,
    [DeadLetterHeaders.sourceOffset]: source.offset,
    [DeadLetterHeaders.consumerGroup]: routing.groupId,
    [DeadLetterHeaders.failedAt]: new Date().toISOString(),
  });
  const why = kind === 'permanent' ? 'message cannot be processed' : 'retries exhausted';
  log.error({ ...fields, attempt: inbound.attempt }, `${why}, dead-lettered`);
  routing.events?.deadLettered?.(inbound, err);
  return 'done';
}

/** Writes a copy of the message (same key, same value bytes) with the given headers. */
async function forward(producer: Producer, topic: string, message: KafkaMessage, headers: IHeaders) {
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
  } catch (err) {
    throw new ForwardError(topic, err);
  }
}
