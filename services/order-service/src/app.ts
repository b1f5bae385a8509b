import { createHttpApp, registerHealth, type HttpApp, type Knex, type Logger } from '@orderflow/platform';
import { registerOrderRoutes } from './routes.js';

/** What the order service's HTTP app needs. */
export interface OrderAppDeps {
  db: Knex;
  logger: Logger;
  topic: string;
  notify: boolean;
  bodyLimit?: number;
}

/** The order service's HTTP app, ready but not listening. */
export function buildApp(deps: OrderAppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, bodyLimit: deps.bodyLimit });
  registerHealth(app, { database: () => deps.db.raw('select 1') });
  registerOrderRoutes(app, deps.db, { topic: deps.topic, notify: deps.notify });
  return app;
}
