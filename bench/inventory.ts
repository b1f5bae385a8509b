/**
 * Stage 3: the inventory service process applying a backlog of OrderPlaced events that
 * already sit in Kafka, each in its own transaction with the processed_events guard.
 */
import { createDatabase, type Knex } from '@orderflow/platform';
import { waitFor } from '@orderflow/testing';
import type { BenchContext } from './context.js';
import type { Figure } from './figures.js';
import { stockInventory } from './stock.js';

const STAGE = 'inventory';

/** Measures how fast inventory applies `plan.backlog` events from `topic`. */
export async function benchInventory(ctx: BenchContext, topic: string): Promise<Figure> {
  const { backlog } = ctx.plan;
  const url = ctx.database('inventory');
  await stockInventory(url, ctx.logger);
  const db = createDatabase({ url, logger: ctx.logger, poolMax: 1 });
  const { process } = await ctx.service('inventory-service', STAGE, {
    DATABASE_URL: url,
    ORDERS_TOPIC: topic,
    CONSUMER_GROUP_ID: ctx.topic('inventory'),
  });
  try {
    await waitFor(async () => (await applied(db)) >= backlog, {
      timeoutMs: 600_000,
      intervalMs: 200,
      what: `inventory to apply ${backlog} events`,
    });
    const span = await db.raw(
      `select count(*)::int as n, extract(epoch from max(processed_at) - min(processed_at)) as seconds
         from processed_events`,
    );
    const { n, seconds } = span.rows[0] as { n: number; seconds: string };
    return {
      id: 'inventory',
      stage: STAGE,
      name: 'inventory service, idempotent apply',
      perSecond: (n - 1) / Number(seconds),
      unit: 'events/s',
      count: n,
      producedBy:
        `services/inventory-service (default CONSUMER_CONCURRENCY, 6 partitions) consuming ${backlog} OrderPlaced ` +
        `events already in Kafka with a new group; events ÷ time from first to last processed_events row`,
    };
  } finally {
    await ctx.stop(process);
    await db.destroy();
  }
}

async function applied(db: Knex): Promise<number> {
  const result = await db.raw('select count(*)::int as n from processed_events');
  return result.rows[0].n as number;
}
