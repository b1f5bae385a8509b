import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from '@orderflow/platform';
import { topicsFor } from '@orderflow/contracts';
import { routeFailure, type FailureOutcome } from './failure-routing.js';
import { headerInt, RetryHeaders } from './headers.js';
import type { RetryPolicy } from './retry-policy.js';
import type { BatchHandler, InboundMessage, MessageHandler, RunnerEvents } from './types.js';

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
    // A member that died without leaving is replaced after this long.
    sessionTimeout: 15_000,
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

  const routing = {
    producer: options.producer,
    topics,
    retry: options.retry,
    groupId: options.groupId,
    log,
    events: options.events,
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

  const processMessage = async (topic: string, partition: number, raw: KafkaMessage): Promise<FailureOutcome> => {
    const inbound = toInbound(topic, partition, raw);
    try {
      await options.handler(inbound);
      options.events?.handled?.(inbound);
      return 'done';
    } catch (err) {
      try {
        return await routeFailure(routing, inbound, raw, err);
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
