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
import { openOrdersDatabase } from './database.js';

const logger = createLogger('order-service');

try {
  const config = readConfig();
  logger.level = config.LOG_LEVEL;
  const db = await openOrdersDatabase(config.DATABASE_URL, logger, config.DB_POOL_MAX);
  const app = await buildApp({
    db,
    logger,
    metrics: createMetricsRegistry('order-service'),
    topic: config.ORDERS_TOPIC,
    notify: config.OUTBOX_NOTIFY,
    bodyLimit: config.HTTP_BODY_LIMIT,
  });
  await app.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, database: redact(config.DATABASE_URL) }, 'order service started');

  const retention = startRetention({
    db,
    logger,
    table: 'idempotency_keys',
    timeColumn: 'created_at',
    keepMs: config.IDEMPOTENCY_KEY_TTL_MS,
    intervalMs: config.RETENTION_INTERVAL_MS,
  });

  closeOnSignals(logger, config.SHUTDOWN_GRACE_MS, [
    { name: 'http', close: () => app.close() },
    { name: 'retention', close: () => retention.stop() },
    { name: 'database', close: () => db.destroy() },
  ]);
} catch (err) {
  exitOnStartError(logger, err);
}
