import {
  createHttpApp,
  registerHealth,
  type HttpApp,
  type Knex,
  type Logger,
  type ReadinessCheck,
} from '@orderflow/platform';
import { registerInventoryRoutes } from './routes.js';

/** What the inventory service's HTTP app needs. */
export interface InventoryAppDeps {
  db: Knex;
  logger: Logger;
  /** Throws when Kafka cannot be reached. */
  kafkaCheck: ReadinessCheck;
  bodyLimit?: number;
}

/** The inventory service's HTTP app, ready but not listening. */
export function buildApp(deps: InventoryAppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, bodyLimit: deps.bodyLimit });
  registerHealth(app, { database: () => deps.db.raw('select 1'), kafka: deps.kafkaCheck });
  registerInventoryRoutes(app, deps.db);
  return app;
}
