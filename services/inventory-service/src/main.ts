import { createKafka, createProducer, type ConsumerRunner } from '@orderflow/messaging';
import {
  closeOnSignals,
  createLogger,
  createMetricsRegistry,
  exitOnStartError,
  redact,
  startRetention,
} from '@orderflow/platform';
import { buildApp } from './app.js';
import { readConfig } from './config.js';
import { startInventoryConsumer } from './consumer.js';
import { openInventoryDatabase } from './database.js';

const logger = createLogger('inventory-service');

try {
  const config = readConfig();
  logger.level = config.LOG_LEVEL;
  const db = await openInventoryDatabase(config.DATABASE_URL, logger, config.DB_POOL_MAX);
  const metrics = createMetricsRegistry('inventory-service');

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'inventory-service', logger });
  const producer = createProducer(kafka);
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();

  // The HTTP API answers while the consumer joins its group, which can take a while
  // after a restart.
  let consumer: ConsumerRunner | undefined;
  const app = await buildApp({
    db,
    logger,
    metrics,
    // Ready once the consumer runs and the broker answers.
    kafkaCheck: async () => {
      if (!consumer) throw new Error('the consumer has not started yet');
      await admin.describeCluster();
    },
    bodyLimit: config.HTTP_BODY_LIMIT,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, database: redact(config.DATABASE_URL) }, 'inventory service started');

  const retention = startRetention({
    db,
    logger,
    table: 'processed_events',
    timeColumn: 'processed_at',
    keepMs: config.PROCESSED_EVENTS_RETENTION_MS,
    intervalMs: config.RETENTION_INTERVAL_MS,
  });

  closeOnSignals(logger, config.SHUTDOWN_GRACE_MS, [
    { name: 'consumer', close: async () => consumer?.stop() },
    { name: 'retention', close: () => retention.stop() },
    { name: 'http', close: () => app.close() },
    { name: 'kafka', close: () => Promise.all([producer.disconnect(), admin.disconnect()]) },
    { name: 'database', close: () => db.destroy() },
  ]);

  consumer = await startInventoryConsumer({
    db,
    kafka,
    producer,
    logger,
    topic: config.ORDERS_TOPIC,
    partitions: config.TOPIC_PARTITIONS,
    groupId: config.CONSUMER_GROUP_ID,
    concurrency: config.CONSUMER_CONCURRENCY,
    retry: {
      maxRetries: config.CONSUMER_MAX_RETRIES,
      baseDelayMs: config.CONSUMER_RETRY_BASE_MS,
      maxDelayMs: config.CONSUMER_RETRY_MAX_MS,
      jitterMs: 100,
    },
    metrics,
  });
  logger.info({ topic: config.ORDERS_TOPIC, groupId: config.CONSUMER_GROUP_ID }, 'consuming order events');
} catch (err) {
  exitOnStartError(logger, err);
}
