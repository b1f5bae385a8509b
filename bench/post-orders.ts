/**
 * Stage 1: POST /orders through the order service process, against pgbench running the
 * same transaction with as many clients, each with NOTIFY on and off. The four runs of
 * one client count follow each other, so a neighbour's load on a shared machine skews
 * the runs it compares less than it would over the whole stage.
 */
import type { Knex } from '@orderflow/platform';
import { openOrdersDatabase } from '../services/order-service/src/database.js';
import type { BenchContext, StartedService } from './context.js';
import type { Figure } from './figures.js';
import { postOrders } from './http-load.js';
import { runPgbench } from './pgbench.js';

const STAGE = 'POST /orders';

/** Measures the order service and its pgbench ceiling; service figures carry their ratio. */
export async function benchPostOrders(ctx: BenchContext, workDir: string): Promise<Figure[]> {
  const url = ctx.database('orders');
  const topic = ctx.topic('orders');
  // Two connections: migrate() holds its advisory lock on one while it works on the other.
  const db = await openOrdersDatabase(url, ctx.logger, 2);
  const services = new Map<boolean, StartedService>();
  try {
    for (const notify of [true, false]) {
      const service = await ctx.service(
        'order-service',
        `${STAGE}, NOTIFY ${notify ? 'on' : 'off'}`,
        {
          DATABASE_URL: url,
          ORDERS_TOPIC: topic,
          OUTBOX_NOTIFY: String(notify),
          DB_POOL_MAX: '10',
        },
      );
      services.set(notify, service);
      await postOrders({
        url: ordersUrl(service),
        connections: 8,
        seconds: ctx.plan.warmupSeconds,
      });
    }
    const figures: Figure[] = [];
    for (const connections of ctx.plan.connections) {
      for (const notify of [true, false]) {
        const service = await serviceRun(ctx, db, services.get(notify)!, connections, notify);
        const ceiling = await pgbenchRun(ctx, db, { url, topic, workDir }, connections, notify);
        service.ratio = { value: service.perSecond / ceiling.perSecond, to: ceiling.id };
        figures.push(service, ceiling);
      }
    }
    return figures;
  } finally {
    await Promise.all([...services.values()].map((s) => ctx.stop(s.process)));
    await db.destroy();
  }
}

async function serviceRun(
  ctx: BenchContext,
  db: Knex,
  service: StartedService,
  connections: number,
  notify: boolean,
): Promise<Figure> {
  await emptyTables(db);
  const result = await postOrders({
    url: ordersUrl(service),
    connections,
    seconds: ctx.plan.loadSeconds,
  });
  return {
    id: figureId('post', connections, notify),
    stage: STAGE,
    name: `order service, ${notifyLabel(notify)}, ${connections} connections`,
    perSecond: result.perSecond,
    unit: 'orders/s',
    count: result.ok,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    producedBy: `${result.command} (OUTBOX_NOTIFY=${notify}, DB_POOL_MAX=10, LOG_LEVEL=warn)`,
  };
}

async function pgbenchRun(
  ctx: BenchContext,
  db: Knex,
  target: { url: string; topic: string; workDir: string },
  clients: number,
  notify: boolean,
): Promise<Figure> {
  await emptyTables(db);
  const result = await runPgbench({ ...target, clients, seconds: ctx.plan.loadSeconds, notify });
  return {
    id: figureId('pgbench', clients, notify),
    stage: STAGE,
    name: `pgbench, same transaction, ${notifyLabel(notify)}, ${clients} clients`,
    perSecond: result.perSecond,
    unit: 'orders/s',
    count: result.transactions,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    producedBy: result.command,
  };
}

/** The id of a POST or pgbench figure; the two of one setting differ only in prefix. */
function figureId(prefix: 'post' | 'pgbench', connections: number, notify: boolean): string {
  return `${prefix}-${connections}-${notify ? 'notify' : 'poll'}`;
}

function ordersUrl(service: StartedService): string {
  return `http://127.0.0.1:${service.port}/orders`;
}

function notifyLabel(notify: boolean): string {
  return notify ? 'NOTIFY on' : 'NOTIFY off';
}

async function emptyTables(db: Knex) {
  await db.raw('truncate orders, order_items, outbox');
}
