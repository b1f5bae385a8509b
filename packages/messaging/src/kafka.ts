import { Kafka, logLevel, type Admin, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from '@orderflow/platform';

/** Options of createKafka. */
export interface KafkaOptions {
  /** Comma-separated `host:port` list. */
  brokers: string;
  clientId: string;
  logger: Logger;
}

/** A kafkajs client that logs through pino and retries connections for a while. */
export function createKafka(options: KafkaOptions): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers.split(',').map((b) => b.trim()).filter(Boolean),
    connectionTimeout: 3000,
    retry: { initialRetryTime: 300, retries: 8, maxRetryTime: 10_000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => writeKafkaLog(log, entry),
  });
}

// kafkajs warns when an idempotent producer's retries are bounded, for the sake of
// transactions. Bounded retries are what we want: a send that fails is retried by our
// own loops, and consumers dedupe the rare duplicate by eventId.
const BOUNDED_RETRIES_WARNING = 'Limiting retries for the idempotent producer';

/** An idempotent producer (acks=all is set per send) whose failures surface to the caller. */
export function createProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
}

function writeKafkaLog(log: Logger, { level, log: line }: LogEntry) {
  const { message, timestamp: _timestamp, logger: _logger, ...fields } = line;
  if (message.startsWith(BOUNDED_RETRIES_WARNING)) return;
  // kafkajs reports coordinator loading and similar passing states as ERROR while it
  // retries them itself; our code logs the failures that matter at error level.
  if (level === logLevel.ERROR || level === logLevel.WARN) log.warn(fields, message);
  else if (level === logLevel.INFO) log.info(fields, message);
  else log.debug(fields, message);
}

/** A topic to create up front with its partition count. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/**
 * Creates any missing topics and waits until every partition has a leader, so the first
 * produce and subscribe succeed. Safe when several processes run it at once.
 */
export async function ensureTopics(admin: Admin, topics: TopicSpec[], timeoutMs = 30_000): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return;

  let createError: unknown;
  try {
    await admin.createTopics({ topics: missing.map((t) => ({ ...t, replicationFactor: -1 })) });
  } catch (err) {
    // Another process may have created them a moment ago; the wait below tells.
    createError = err;
  }

  const names = missing.map((t) => t.topic);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({ topics: names });
      if (found.length === names.length && found.every((t) => t.partitions.every((p) => p.leader >= 0))) return;
    } catch (err) {
      // Metadata of a topic just created can lag behind for a moment (UNKNOWN_TOPIC_OR_PARTITION).
      createError ??= err;
    }
    if (Date.now() > deadline) {
      throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms`, { cause: createError });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
