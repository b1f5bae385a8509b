import { topicsFor } from '@orderflow/contracts';
import { ensureTopics, startConsumerRunner, type ConsumerRunner, type RetryPolicy } from '@orderflow/messaging';
import type { Knex, Logger } from '@orderflow/platform';
import type { Kafka, Producer } from 'kafkajs';
import { orderEventsHandler } from './order-events.js';

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
}

/** Creates the topics it reads and writes, then consumes order events. */
export async function startInventoryConsumer(deps: InventoryConsumerDeps): Promise<ConsumerRunner> {
  const topics = topicsFor(deps.topic);
  const admin = deps.kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      [topics.main, topics.retry, topics.deadLetter].map((topic) => ({ topic, numPartitions: deps.partitions })),
    );
  } finally {
    await admin.disconnect();
  }

  return startConsumerRunner({
    kafka: deps.kafka,
    producer: deps.producer,
    groupId: deps.groupId,
    topic: deps.topic,
    handler: orderEventsHandler(deps.db, deps.logger),
    retry: deps.retry,
    logger: deps.logger,
    concurrency: deps.concurrency,
  });
}
