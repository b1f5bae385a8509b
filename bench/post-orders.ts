/**
 * Stage 1: POST /orders through the order service process, against pgbench running the
 * same transaction with as many clients, each with NOTIFY on and off.
 */
import type { Knex } from '@orderflow/platform';
import { openOrdersDatabase } from '../services/order-service/src/database.js';
import type { BenchContext } from './context.js';
import type { Figure } from './figures.js';
import { postOrders } from './http-load.js';
import { runPgbench } from './pgbench.js';

const STAGE = 'POST /orders';

/** Measures the order service and its pgbench ceiling; figures carry their ratio. */
export async function benchPostOrders(ctx: BenchContext, workDir: string): Promise<Figure[]> {
  const url = ctx.database('orders');
  const topic = ctx.topic('orders');
  const db = await openOrdersDatabase(url, ctx.logger, 2);
  try {
    const service: Figure[] = [];
    const ceiling: Figure[] = [];
    for (const notify of [true, false]) service.push(...(await serviceRuns(ctx, db, url, topic, notify)));
    for (const notify of [true, false]) {
      for (const clients of ctx.plan.connections) {
        await emptyTables(db);
        const result = await runPgbench({ url, clients, seconds: ctx.plan.loadSeconds, notify, workDir, topic });
        ceiling.push({
          id: figureId('pgbench', clients, notify),
          stage: STAGE,
          name: `pgbench, same transaction, ${notifyLabel(notify)}, ${clients} clients`,
          perSecond: result.perSecond,
          unit: 'orders/s',
          count: result.transactions,
          p50Ms: result.p50Ms,
          p99Ms: result.p99Ms,
          producedBy: result.command,
        });
      }
    }
    for (const figure of service) {
      const reference = ceiling.find((c) => c.id === figure.id.replace('post', 'pgbench'))!;
      figure.ratio = { value: figure.perSecond / reference.perSecond, to: reference.id };
    }
    return [...service, ...ceiling];
  } finally {
    await db.destroy();
  }
}

/** One order service process, warmed up, then loaded at each connection count. */
async function serviceRuns(ctx: BenchContext, db: Knex, url: string, topic: string, notify: boolean) {
  const { process, port } = await ctx.service('order-service', STAGE, {
    DATABASE_URL: url,
    ORDERS_TOPIC: topic,
    OUTBOX_NOTIFY: String(notify),
    DB_POOL_MAX: '10',
  });
  const ordersUrl = `http://127.0.0.1:${port}/orders`;
  try {
    await postOrders({ url: ordersUrl, connections: 8, seconds: ctx.plan.warmupSeconds });
    const figures: Figure[] = [];
    for (const connections of ctx.plan.connections) {
      await emptyTables(db);
      const result = await postOrders({ url: ordersUrl, connections, seconds: ctx.plan.loadSeconds });
      figures.push({
        id: figureId('post', connections, notify),
        stage: STAGE,
        name: `order service, ${notifyLabel(notify)}, ${connections} connections`,
        perSecond: result.perSecond,
        unit: 'orders/s',
        count: result.ok,
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        producedBy: `${result.command} (OUTBOX_NOTIFY=${notify}, DB_POOL_MAX=10, LOG_LEVEL=warn)`,
      });
    }
    return figures;
  } finally {
    await ctx.stop(process);
  }
}

/** The id of a POST or pgbench figure; the two of one setting differ only in prefix. */
export function figureId(prefix: 'post' | 'pgbench', connections: number, notify: boolean): string {
  return `${prefix}-${connections}-${notify ? 'notify' : 'poll'}`;
}

function notifyLabel(notify: boolean): string {
  return notify ? 'NOTIFY on' : 'NOTIFY off';
}

async function emptyTables(db: Knex) {
  await db.raw('truncate orders, order_items, outbox');
}
