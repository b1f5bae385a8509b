import { topicsFor } from '@orderflow/contracts';
import {
  ensureTopics,
  registerConsumerMetrics,
  startConsumerRunner,
  type ConsumerRunner,
  type RetryPolicy,
} from '@orderflow/messaging';
import { Registry, type Knex, type Logger } from '@orderflow/platform';
import type { Kafka, Producer } from 'kafkajs';
import { registerInventoryMetrics } from './metrics.js';
import { orderEventsHandlers } from './order-events.js';

/** What the inventory consumer needs. */
export interface InventoryConsumerDeps {
  db: Knex;
  kafka: Kafka;
  producer: Producer;
  logger: Logger;
  topic: string;
  partitions: number;
  groupId: string;
  concurrency: number;
  retry: RetryPolicy;
  /** Where the consumer's and inventory's metrics go (a private registry when omitted). */
  metrics?: Registry;
}

/**
 * Creates the topics it reads and writes, then consumes order events. Its admin client
 * stays connected to read the group's lag for the metrics, and closes with the runner.
 */
export async function startInventoryConsumer(deps: InventoryConsumerDeps): Promise<ConsumerRunner> {
  const topics = topicsFor(deps.topic);
  const admin = deps.kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    [topics.main, topics.retry, topics.deadLetter].map((topic) => ({ topic, numPartitions: deps.partitions })),
  );
  const registry = deps.metrics ?? new Registry();
  const handlers = orderEventsHandlers(deps.db, deps.logger, registerInventoryMetrics(registry));

  const runner = await startConsumerRunner({
    kafka: deps.kafka,
    producer: deps.producer,
    groupId: deps.groupId,
    topic: deps.topic,
    handler: handlers.single,
    batchHandler: handlers.batch,
    retry: deps.retry,
    logger: deps.logger,
    concurrency: deps.concurrency,
    events: registerConsumerMetrics({ registry, admin, groupId: deps.groupId, topics: [topics.main, topics.retry] }),
  });
  return {
    consumer: runner.consumer,
    async stop() {
      await runner.stop();
      await admin.disconnect();
    },
  };
}
