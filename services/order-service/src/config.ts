import { Type, type Static } from '@sinclair/typebox';
import { Env, loadConfig } from '@orderflow/platform';

/** Every variable the order service reads, with its default. */
export const OrderServiceConfig = Type.Object({
  PORT: Env.port(3000, 'HTTP port'),
  HOST: Env.string('0.0.0.0', 'HTTP listen address'),
  DATABASE_URL: Env.string('postgres://postgres@127.0.0.1:5432/orders', 'orders database; created if missing'),
  DB_POOL_MAX: Env.integer(10, 'largest number of pooled database connections', 1, 200),
  ORDERS_TOPIC: Env.string('orders', 'topic OrderPlaced events are published to'),
  OUTBOX_NOTIFY: Env.boolean(true, 'NOTIFY the relay from each order transaction (else it polls)'),
  HTTP_BODY_LIMIT: Env.integer(65_536, 'largest request body in bytes', 1024),
  IDEMPOTENCY_KEY_TTL_MS: Env.durationMs(86_400_000, 'how long an Idempotency-Key is remembered', 1),
  RETENTION_INTERVAL_MS: Env.durationMs(60_000, 'time between two sweeps of expired rows', 1000),
  SHUTDOWN_GRACE_MS: Env.durationMs(10_000, 'time to finish in-flight requests on SIGTERM', 1),
  LOG_LEVEL: Env.logLevel(),
});
export type OrderServiceConfig = Static<typeof OrderServiceConfig>;

/** Reads and checks the configuration from the environment. */
export const readConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(OrderServiceConfig, env);
