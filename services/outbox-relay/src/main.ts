import { createKafka, createProducer, ensureTopics } from '@orderflow/messaging';
import {
  createRelay,
  OUTBOX_MIGRATIONS_TABLE,
  OUTBOX_TABLE,
  outboxMigrations,
  registerOutboxMetrics,
} from '@orderflow/outbox';
import {
  closeOnSignals,
  createDatabase,
  createHttpApp,
  createLogger,
  createMetricsRegistry,
  ensureDatabase,
  exitOnStartError,
  migrate,
  registerHealth,
  startRetention,
} from '@orderflow/platform';
import { readConfig } from './config.js';

const logger = createLogger('outbox-relay');

try {
  const config = readConfig();
  logger.level = config.LOG_LEVEL;

  await ensureDatabase(config.DATABASE_URL);
  const db = createDatabase({ url: config.DATABASE_URL, logger, poolMax: 3 });
  await migrate(db, outboxMigrations, OUTBOX_MIGRATIONS_TABLE);

  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'outbox-relay', logger });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic: config.ORDERS_TOPIC, numPartitions: config.TOPIC_PARTITIONS }]);
  const producer = createProducer(kafka);
  await producer.connect();

  const metrics = createMetricsRegistry('outbox-relay');
  const relay = createRelay({
    db,
    producer,
    logger,
    listenUrl: config.DATABASE_URL,
    batchSize: config.RELAY_BATCH_SIZE,
    pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
    onBatch: registerOutboxMetrics(metrics, db),
  });
  relay.start();
  const retention = startRetention({
    db,
    logger,
    table: OUTBOX_TABLE,
    timeColumn: 'published_at',
    keepMs: config.OUTBOX_RETENTION_MS,
    intervalMs: config.RETENTION_INTERVAL_MS,
  });

  const health = await createHttpApp({ logger, metrics });
  registerHealth(health, {
    database: () => db.raw('select 1'),
    kafka: () => admin.describeCluster(),
  });
  await health.listen({ port: config.HEALTH_PORT, host: config.HOST });
  logger.info({ healthPort: config.HEALTH_PORT }, 'outbox relay started');

  closeOnSignals(logger, config.SHUTDOWN_GRACE_MS, [
    { name: 'relay', close: () => relay.stop() },
    { name: 'retention', close: () => retention.stop() },
    { name: 'http', close: () => health.close() },
    { name: 'kafka', close: () => Promise.all([producer.disconnect(), admin.disconnect()]) },
    { name: 'database', close: () => db.destroy() },
  ]);
} catch (err) {
  exitOnStartError(logger, err);
}
