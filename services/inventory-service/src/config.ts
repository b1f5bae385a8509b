import { Type, type Static } from '@sinclair/typebox';
import { Env, loadConfig } from '@orderflow/platform';

/** Every variable the inventory service reads, with its default. */
export const InventoryConfig = Type.Object({
  PORT: Env.port(3001, 'HTTP port'),
  HOST: Env.string('0.0.0.0', 'HTTP listen address'),
  DATABASE_URL: Env.string('postgres://postgres@127.0.0.1:5432/inventory', 'inventory database; created if missing'),
  DB_POOL_MAX: Env.integer(10, 'largest number of pooled database connections', 1, 200),
  KAFKA_BROKERS: Env.string('127.0.0.1:9092', 'comma-separated Kafka bootstrap servers'),
  ORDERS_TOPIC: Env.string('orders', 'topic of OrderPlaced events; its .retry and .dlq topics go with it'),
  TOPIC_PARTITIONS: Env.integer(6, 'partitions of a topic this process creates', 1, 1000),
  CONSUMER_GROUP_ID: Env.string('inventory-service', 'Kafka consumer group'),
  CONSUMER_CONCURRENCY: Env.integer(6, 'partitions handled at once', 1, 64),
  CONSUMER_MAX_RETRIES: Env.integer(5, 'retries of a failing event before it is dead-lettered; 0 = none', 0, 100),
  CONSUMER_RETRY_BASE_MS: Env.durationMs(100, 'base of the exponential retry backoff'),
  CONSUMER_RETRY_MAX_MS: Env.durationMs(30_000, 'longest wait before one retry'),
  PROCESSED_EVENTS_RETENTION_MS: Env.durationMs(
    2_592_000_000,
    'how long applied eventIds are remembered; keep it longer than any redrive or replay window',
    1,
  ),
  RETENTION_INTERVAL_MS: Env.durationMs(60_000, 'time between two sweeps of old rows', 1000),
  HTTP_BODY_LIMIT: Env.integer(65_536, 'largest request body in bytes', 1024),
  SHUTDOWN_GRACE_MS: Env.durationMs(10_000, 'time to finish the event in hand on SIGTERM', 1),
  LOG_LEVEL: Env.logLevel(),
});
export type InventoryConfig = Static<typeof InventoryConfig>;

/** Reads and checks the configuration from the environment. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(InventoryConfig, env);
