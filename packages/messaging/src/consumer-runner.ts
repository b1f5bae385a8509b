import type { Consumer, EachBatchPayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '@orderflow/platform';
import { topicsFor } from '@orderflow/contracts';
import { classifyFailure, ForwardError } from './errors.js';
import { DeadLetterHeaders, headerInt, headerText, originalHeaders, RetryHeaders } from './headers.js';
import { backoffDelayMs, type RetryPolicy } from './retry-policy.js';

/** One message as a handler sees it. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
}

/** Applies one message; throws to have it retried or dead-lettered. */
export type MessageHandler = (message: InboundMessage) => Promise<void>;

/**
 * Applies several messages of one partition at once, all or nothing (one database
 * transaction, say). When it throws, the runner handles those messages one by one with
 * the MessageHandler, so a single bad message is retried or dead-lettered on its own.
 */
export type BatchHandler = (messages: InboundMessage[]) => Promise<void>;

/** Counters a caller can hook metrics onto. */
export interface RunnerEvents {
  handled?(message: InboundMessage): void;
  retryScheduled?(message: InboundMessage, delayMs: number): void;
  deadLettered?(message: InboundMessage, err: unknown): void;
}

/** Options of startConsumerRunner. */
export interface ConsumerRunnerOptions {
  kafka: Kafka;
  /** Producer used to write retry copies and dead letters; idempotent, acks=all. */
  producer: Producer;
  groupId: string;
  /** The main topic; its retry and dead-letter topics are derived from it. */
  topic: string;
  handler: MessageHandler;
  /** Optional faster path for runs of fresh messages on the main topic. */
  batchHandler?: BatchHandler;
  /** Most messages given to the batch handler at once (default 100). */
  maxBatchSize?: number;
  retry: RetryPolicy;
  logger: Logger;
  /** Partitions handled at once (default 1). */
  concurrency?: number;
  /** Wait before trying again when a dependency is down, in ms (default 1000). */
  unavailablePauseMs?: number;
  events?: RunnerEvents;
}

/** A running consumer. */
export interface ConsumerRunner {
  consumer: Consumer;
  /** Finishes the message in hand, commits what is done and leaves the group. */
  stop(): Promise<void>;
}

type Outcome = 'done' | 'blocked';

/**
 * Consumes the main topic and its retry topic in one consumer group.
 *
 * Invariant: an offset is resolved, and so committed, only after the handler's effect
 * is durable or the message has been durably written to the retry or dead-letter topic.
 * A message whose forward fails is not resolved: its partition pauses and the same
 * message is read again, so nothing is skipped.
 *
 * A failing message leaves its partition at once (for the retry topic), so other
 * messages on that partition keep flowing while it waits for its next attempt. The
 * price: a retried event may be applied after later events with the same key. Each
 * order has its own key and one OrderPlaced event, so that order does not matter here.
 */
export async function startConsumerRunner(options: ConsumerRunnerOptions): Promise<ConsumerRunner> {
  const topics = topicsFor(options.topic);
  const log = options.logger.child({ component: 'consumer' });
  const timers = new Set<NodeJS.Timeout>();
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 500,
    retry: {
      retries: 10,
      initialRetryTime: 300,
      maxRetryTime: 10_000,
      // kafkajs gives up on errors it deems fatal and leaves the process idle. A broker
      // restart or a long network cut is not fatal to us: always rejoin, after a pause.
      restartOnFailure: async (err) => {
        log.warn({ err }, 'consumer failed, restarting');
        return true;
      },
    },
  });

  const pauseFor = (pause: () => () => void, ms: number) => {
    const resume = pause();
    const timer = setTimeout(() => {
      timers.delete(timer);
      resume();
    }, ms);
    timers.add(timer);
  };

  const forward = async (topic: string, message: KafkaMessage, headers: IHeaders) => {
    try {
      await options.producer.send({
        topic,
        acks: -1,
        messages: [{ key: message.key, value: message.value, headers }],
      });
    } catch (err) {
      throw new ForwardError(topic, err);
    }
  };

  const handleFailure = async (inbound: InboundMessage, raw: KafkaMessage, err: unknown) => {
    const kind = classifyFailure(err);
    const fields = { err, topic: inbound.topic, partition: inbound.partition, offset: inbound.offset };
    if (kind === 'unavailable') {
      log.warn({ ...fields, attempt: inbound.attempt }, 'dependency unavailable, pausing partition');
      return 'blocked' as const;
    }

    const source = {
      topic: headerText(raw.headers, RetryHeaders.sourceTopic) ?? inbound.topic,
      partition: headerText(raw.headers, RetryHeaders.sourcePartition) ?? String(inbound.partition),
      offset: headerText(raw.headers, RetryHeaders.sourceOffset) ?? inbound.offset,
    };

    if (kind === 'transient' && inbound.attempt < options.retry.maxRetries) {
      const attempt = inbound.attempt + 1;
      const delayMs = backoffDelayMs(options.retry, attempt);
      await forward(topics.retry, raw, {
        ...originalHeaders(raw.headers),
        [RetryHeaders.attempt]: String(attempt),
        [RetryHeaders.dueAt]: String(Date.now() + delayMs),
        [RetryHeaders.sourceTopic]: source.topic,
        [RetryHeaders.sourcePartition]: source.partition,
        [RetryHeaders.sourceOffset]: source.offset,
      });
      log.warn({ ...fields, attempt, delayMs }, 'handler failed, will retry');
      options.events?.retryScheduled?.(inbound, delayMs);
      return 'done' as const;
    }

    const error = err instanceof Error ? err : new Error(String(err));
    await forward(topics.deadLetter, raw, {
      ...originalHeaders(raw.headers),
      [DeadLetterHeaders.errorMessage]: error.message,
      [DeadLetterHeaders.errorClass]: error.name,
      [DeadLetterHeaders.errorCode]: String((error as { code?: unknown }).code ?? ''),
      [DeadLetterHeaders.attempts]: String(inbound.attempt + 1),
      [DeadLetterHeaders.sourceTopic]: source.topic,
      [DeadLetterHeaders.sourcePartition]: source.partition,
      [DeadLetterHeaders.sourceOffset]: source.offset,
      [DeadLetterHeaders.consumerGroup]: options.groupId,
      [DeadLetterHeaders.failedAt]: new Date().toISOString(),
    });
    const why = kind === 'permanent' ? 'message cannot be processed' : 'retries exhausted';
    log.error({ ...fields, attempt: inbound.attempt }, `${why}, dead-lettered`);
    options.events?.deadLettered?.(inbound, err);
    return 'done' as const;
  };

  const toInbound = (topic: string, partition: number, raw: KafkaMessage): InboundMessage => ({
    topic,
    partition,
    offset: raw.offset,
    key: raw.key,
    value: raw.value,
    headers: raw.headers ?? {},
    attempt: headerInt(raw.headers, RetryHeaders.attempt, 0),
  });

  const processMessage = async (topic: string, partition: number, raw: KafkaMessage): Promise<Outcome> => {
    const inbound = toInbound(topic, partition, raw);
    try {
      await options.handler(inbound);
      options.events?.handled?.(inbound);
      return 'done';
    } catch (err) {
      try {
        return await handleFailure(inbound, raw, err);
      } catch (forwardErr) {
        log.error(
          { err: forwardErr, topic, partition, offset: raw.offset },
          'forward failed, not committing past this message',
        );
        return 'blocked';
      }
    }
  };

  /** Tries a run of messages with the batch handler; true when all of them are done. */
  const processRun = async (topic: string, partition: number, run: KafkaMessage[]): Promise<boolean> => {
    if (!options.batchHandler || run.length < 2) return false;
    const inbound = run.map((raw) => toInbound(topic, partition, raw));
    try {
      await options.batchHandler(inbound);
    } catch (err) {
      log.debug({ err, topic, partition, offset: run[0]!.offset }, 'batch failed, handling its messages one by one');
      return false;
    }
    for (const message of inbound) options.events?.handled?.(message);
    return true;
  };

  const eachBatch = async (payload: EachBatchPayload) => {
    const { batch, resolveOffset, heartbeat, pause, isRunning, isStale } = payload;
    const maxBatchSize = options.maxBatchSize ?? 100;
    let index = 0;
    // After a run fails as a whole, its messages go one by one before batching again.
    let singlyUntil = 0;
    while (index < batch.messages.length) {
      if (!isRunning() || isStale()) return;

      if (batch.topic === topics.main && index >= singlyUntil) {
        const run = batch.messages.slice(index, index + maxBatchSize);
        if (await processRun(batch.topic, batch.partition, run)) {
          resolveOffset(run[run.length - 1]!.offset);
          await heartbeat();
          index += run.length;
          continue;
        }
        singlyUntil = index + run.length;
      }

      const message = batch.messages[index]!;
      if (batch.topic === topics.retry) {
        const waitMs = headerInt(message.headers, RetryHeaders.dueAt, 0) - Date.now();
        if (waitMs > 0) {
          pauseFor(pause, waitMs);
          return;
        }
      }

      const outcome = await processMessage(batch.topic, batch.partition, message);
      if (outcome === 'blocked') {
        pauseFor(pause, options.unavailablePauseMs ?? 1000);
        return;
      }
      resolveOffset(message.offset);
      await heartbeat();
      index += 1;
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topics: [topics.main, topics.retry], fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.concurrency ?? 1,
    eachBatch,
  });

  return {
    consumer,
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await consumer.disconnect();
    },
  };
}
