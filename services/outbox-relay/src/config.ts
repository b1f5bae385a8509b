import { Type, type Static } from '@sinclair/typebox';
import { Env, loadConfig } from '@orderflow/platform';

/** Every variable the outbox relay reads, with its default. */
export const RelayConfig = Type.Object({
  DATABASE_URL: Env.string('postgres://postgres@127.0.0.1:5432/orders', 'orders database holding the outbox'),
  KAFKA_BROKERS: Env.string('127.0.0.1:9092', 'comma-separated Kafka bootstrap servers'),
  ORDERS_TOPIC: Env.string('orders', 'topic created up front if missing'),
  TOPIC_PARTITIONS: Env.integer(6, 'partitions of a topic this process creates', 1, 1000),
  RELAY_BATCH_SIZE: Env.integer(500, 'most outbox rows published in one batch', 1, 10_000),
  RELAY_POLL_INTERVAL_MS: Env.durationMs(1000, 'fallback poll when no NOTIFY arrives', 10),
  OUTBOX_RETENTION_MS: Env.durationMs(604_800_000, 'how long published outbox rows are kept', 1),
  RETENTION_INTERVAL_MS: Env.durationMs(60_000, 'time between two sweeps of old rows', 1000),
  HEALTH_PORT: Env.port(3002, 'HTTP port of /health/live and /health/ready'),
  HOST: Env.string('0.0.0.0', 'HTTP listen address'),
  SHUTDOWN_GRACE_MS: Env.durationMs(10_000, 'time to finish the batch in hand on SIGTERM', 1),
  LOG_LEVEL: Env.logLevel(),
});
export type RelayConfig = Static<typeof RelayConfig>;

/** Reads and checks the configuration from the environment. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(RelayConfig, env);
