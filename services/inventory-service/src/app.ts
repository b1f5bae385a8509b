import {
  createHttpApp,
  registerHealth,
  type HttpApp,
  type Knex,
  type Logger,
  type ReadinessCheck,
  type Registry,
} from '@orderflow/platform';
import { registerInventoryRoutes } from './routes.js';

/** What the inventory service's HTTP app needs. */
export interface InventoryAppDeps {
  db: Knex;
  logger: Logger;
  /** Throws when Kafka cannot be reached. */
  kafkaCheck: ReadinessCheck;
  /** Served at /metrics. */
  metrics?: Registry;
  bodyLimit?: number;
}

/** The inventory service's HTTP app, ready but not listening. */
export async function buildApp(deps: InventoryAppDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    metrics: deps.metrics,
    openapi: {
      title: 'Inventory service',
      description: 'Stock levels, and what inventory decided for each order it consumed from Kafka.',
    },
  });
  registerHealth(app, { database: () => deps.db.raw('select 1'), kafka: deps.kafkaCheck });
  registerInventoryRoutes(app, deps.db);
  return app;
}
