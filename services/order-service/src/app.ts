import {
  createHttpApp,
  registerHealth,
  type HttpApp,
  type Knex,
  type Logger,
  type Registry,
} from '@orderflow/platform';
import { registerOrderRoutes } from './routes.js';

/** What the order service's HTTP app needs. */
export interface OrderAppDeps {
  db: Knex;
  logger: Logger;
  topic: string;
  notify: boolean;
  /** Served at /metrics. */
  metrics?: Registry;
  bodyLimit?: number;
}

/** The order service's HTTP app, ready but not listening. */
export async function buildApp(deps: OrderAppDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    metrics: deps.metrics,
    openapi: {
      title: 'Order service',
      description: 'Places orders; each order and its OrderPlaced event are written in one transaction.',
    },
  });
  registerHealth(app, { database: () => deps.db.raw('select 1') });
  registerOrderRoutes(app, deps.db, { topic: deps.topic, notify: deps.notify });
  return app;
}
