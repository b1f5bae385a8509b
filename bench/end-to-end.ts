/**
 * Stage 4: the whole flow under a steady offered load. Latency runs from the order's
 * event time (occurredAt, taken as its transaction begins) to inventory's applied_at
 * (now() of the transaction that applied it), read from the rows themselves.
 */
import { DEFAULT_PARTITIONS } from '@orderflow/contracts';
import { ensureTopics } from '@orderflow/messaging';
import { createDatabase, type Knex } from '@orderflow/platform';
import { waitFor } from '@orderflow/testing';
import type { BenchContext } from './context.js';
import type { EndToEnd } from './figures.js';
import { postOrders } from './http-load.js';
import { histogram, summarize } from './stats.js';
import { stockInventory } from './stock.js';

const STAGE = 'end to end';
const CONNECTIONS = 8;

/**
 * Runs the three services together at `offeredPerSecond` (a share of the figure named
 * `basis`) and measures commit to commit.
 */
export async function benchEndToEnd(
  ctx: BenchContext,
  offeredPerSecond: number,
  basis: string,
): Promise<EndToEnd> {
  const ordersUrl = ctx.database('e2e_orders');
  const inventoryUrl = ctx.database('e2e_inventory');
  const topic = ctx.topic('e2e');
  await stockInventory(inventoryUrl, ctx.logger);
  await ensureTopics(ctx.admin, [{ topic, numPartitions: DEFAULT_PARTITIONS }]);

  const common = { ORDERS_TOPIC: topic };
  const orders = await ctx.service('order-service', STAGE, { ...common, DATABASE_URL: ordersUrl });
  const relay = await ctx.service('outbox-relay', STAGE, { ...common, DATABASE_URL: ordersUrl });
  const inventory = await ctx.service('inventory-service', STAGE, {
    ...common,
    DATABASE_URL: inventoryUrl,
    CONSUMER_GROUP_ID: ctx.topic('e2e_inventory'),
  });
  const ordersDb = createDatabase({ url: ordersUrl, logger: ctx.logger, poolMax: 1 });
  const inventoryDb = createDatabase({ url: inventoryUrl, logger: ctx.logger, poolMax: 1 });
  try {
    const url = `http://127.0.0.1:${orders.port}/orders`;
    const rate = Math.max(1, Math.round(offeredPerSecond));
    const load = { url, connections: CONNECTIONS, overallRate: rate };

    // Warm-up: JIT, pools, and the consumer group's first join stay out of the figures.
    await postOrders({ ...load, seconds: ctx.plan.warmupSeconds });
    await waitForDrain(ordersDb, inventoryDb, new Date(0));

    const from = new Date();
    const result = await postOrders({ ...load, seconds: ctx.plan.endToEndSeconds });
    await waitForDrain(ordersDb, inventoryDb, from);
    const latencies = await readLatencies(ordersDb, inventoryDb, from);
    return {
      offeredPerSecond: rate,
      offeredBasis: basis,
      achievedPerSecond: result.perSecond,
      latency: summarize(latencies.total),
      toPublished: summarize(latencies.relay),
      publishedToApplied: summarize(latencies.consume),
      histogram: histogram(latencies.total),
      producedBy:
        `${result.command} (${ctx.plan.endToEndLoadShare} of ${basis}, the slowest stage) against order service + outbox relay + inventory service processes ` +
        `(defaults: NOTIFY on, RELAY_BATCH_SIZE=500, CONSUMER_CONCURRENCY=6); ` +
        `applied_at - occurredAt of each of the ${latencies.total.length} reservations, split at the outbox row's published_at`,
    };
  } finally {
    await Promise.all([orders, relay, inventory].map((s) => ctx.stop(s.process)));
    await Promise.all([ordersDb.destroy(), inventoryDb.destroy()]);
  }
}

/** Waits until inventory has applied every order placed since `from`. */
async function waitForDrain(ordersDb: Knex, inventoryDb: Knex, from: Date) {
  await waitFor(
    async () => {
      const placed = await ordersDb.raw(
        'select count(*)::int as n from orders where created_at >= ?',
        [from],
      );
      const applied = await inventoryDb.raw(
        'select count(*)::int as n from reservations where occurred_at >= ?',
        [from],
      );
      return applied.rows[0].n >= placed.rows[0].n;
    },
    { timeoutMs: 120_000, intervalMs: 100, what: 'inventory to apply every order placed' },
  );
}

/**
 * Per order: order commit to inventory commit, and its two legs, split at the relay's
 * published_at (now() of the batch transaction that published the row).
 */
async function readLatencies(ordersDb: Knex, inventoryDb: Knex, from: Date) {
  const published = await ordersDb.raw(
    `select event_id, extract(epoch from published_at) * 1000 as at from outbox where created_at >= ?`,
    [from],
  );
  const publishedAt = new Map(
    (published.rows as { event_id: string; at: string }[]).map((r) => [r.event_id, Number(r.at)]),
  );
  const applied = await inventoryDb.raw(
    `select event_id, extract(epoch from occurred_at) * 1000 as occurred, extract(epoch from applied_at) * 1000 as applied
       from reservations where occurred_at >= ?`,
    [from],
  );
  const total: number[] = [];
  const relay: number[] = [];
  const consume: number[] = [];
  for (const row of applied.rows as { event_id: string; occurred: string; applied: string }[]) {
    const [occurred, done, sent] = [
      Number(row.occurred),
      Number(row.applied),
      publishedAt.get(row.event_id),
    ];
    total.push(done - occurred);
    if (sent === undefined) continue;
    relay.push(sent - occurred);
    consume.push(done - sent);
  }
  return { total, relay, consume };
}
