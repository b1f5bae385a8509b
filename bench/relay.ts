/**
 * Stage 2: the outbox relay process draining a backlog of outbox rows, next to a bare
 * producer sending the same messages (the ceiling) and the naive textbook relay.
 */
import type { Message } from 'kafkajs';
import { DEFAULT_PARTITIONS } from '@orderflow/contracts';
import { createProducer, ensureTopics } from '@orderflow/messaging';
import { outboxMigrations, OUTBOX_MIGRATIONS_TABLE, OUTBOX_TABLE } from '@orderflow/outbox';
import { createDatabase, ensureDatabase, migrate, type Knex } from '@orderflow/platform';
import { waitFor } from '@orderflow/testing';
import { insertBacklog } from './backlog.js';
import { sendInBatches } from './bare-producer.js';
import type { BenchContext } from './context.js';
import type { Figure } from './figures.js';
import { startNaiveRelay } from './naive-relay.js';

const STAGE = 'relay';

/** The relay's figures, and the topic that now holds the backlog's events. */
export interface RelayStage {
  figures: Figure[];
  /** Holds `plan.backlog` OrderPlaced events, published by the relay. */
  topic: string;
}

/** Measures the relay, then its ceiling and the naive design. */
export async function benchRelay(ctx: BenchContext): Promise<RelayStage> {
  const url = ctx.database('relay');
  const topic = ctx.topic('relay');
  const db = createDatabase({ url, logger: ctx.logger, poolMax: 2 });
  try {
    const relay = await drainWithRelay(ctx, db, url, topic);
    const bare = await bareProducer(ctx, db);
    const naive = await naiveRelay(ctx);
    relay.ratio = { value: relay.perSecond / bare.perSecond, to: bare.id };
    naive.ratio = { value: naive.perSecond / relay.perSecond, to: relay.id };
    return { figures: [relay, bare, naive], topic };
  } finally {
    await db.destroy();
  }
}

/** Starts the relay on an empty outbox, commits the backlog, and times the drain. */
async function drainWithRelay(
  ctx: BenchContext,
  db: Knex,
  url: string,
  topic: string,
): Promise<Figure> {
  const { backlog, batchSize } = ctx.plan;
  const { process } = await ctx.service('outbox-relay', STAGE, {
    DATABASE_URL: url,
    ORDERS_TOPIC: topic,
    RELAY_BATCH_SIZE: String(batchSize),
  });
  try {
    await insertBacklog(db, topic, backlog);
    const started = performance.now();
    await waitFor(async () => !(await hasUnpublished(db)), {
      timeoutMs: 600_000,
      intervalMs: 20,
      what: `the relay to publish ${backlog} rows`,
    });
    const seconds = (performance.now() - started) / 1000;
    return {
      id: 'relay',
      stage: STAGE,
      name: 'outbox relay process',
      perSecond: backlog / seconds,
      unit: 'rows/s',
      count: backlog,
      producedBy:
        `services/outbox-relay draining ${backlog} committed outbox rows to a ${DEFAULT_PARTITIONS}-partition ` +
        `topic (RELAY_BATCH_SIZE=${batchSize}, woken by NOTIFY); from commit until no row is unpublished`,
    };
  } finally {
    await ctx.stop(process);
  }
}

/** The same rows' messages, sent without the database. */
async function bareProducer(ctx: BenchContext, db: Knex): Promise<Figure> {
  const { batchSize } = ctx.plan;
  const rows: { message_key: string; payload: string; headers: Record<string, string> }[] =
    await db(OUTBOX_TABLE)
      .orderBy('id')
      .select('message_key', db.raw('payload::text as payload'), 'headers');
  const messages: Message[] = rows.map((r) => ({
    key: r.message_key,
    value: r.payload,
    headers: r.headers,
  }));
  const topic = ctx.topic('bare');
  await ensureTopics(ctx.admin, [{ topic, numPartitions: DEFAULT_PARTITIONS }]);
  const producer = createProducer(ctx.kafka);
  await producer.connect();
  try {
    const ms = await sendInBatches(producer, topic, messages, batchSize);
    return {
      id: 'bare-producer',
      stage: STAGE,
      name: 'bare kafkajs producer (ceiling)',
      perSecond: messages.length / (ms / 1000),
      unit: 'msgs/s',
      count: messages.length,
      producedBy:
        `createProducer (idempotent, acks=all) sendBatch of the same ${messages.length} messages, ` +
        `${batchSize} per batch, one batch at a time, to a ${DEFAULT_PARTITIONS}-partition topic`,
    };
  } finally {
    await producer.disconnect();
  }
}

/** The textbook relay on a backlog of its own, for at most plan.naiveSeconds. */
async function naiveRelay(ctx: BenchContext): Promise<Figure> {
  const { naiveBacklog, naiveSeconds } = ctx.plan;
  const url = ctx.database('naive');
  await ensureDatabase(url);
  const db = createDatabase({ url, logger: ctx.logger, poolMax: 2 });
  const topic = ctx.topic('naive');
  const producer = createProducer(ctx.kafka);
  try {
    await migrate(db, outboxMigrations, OUTBOX_MIGRATIONS_TABLE);
    await insertBacklog(db, topic, naiveBacklog);
    await ensureTopics(ctx.admin, [{ topic, numPartitions: DEFAULT_PARTITIONS }]);
    await producer.connect();

    const started = performance.now();
    const naive = startNaiveRelay({ db, producer, topic });
    await waitFor(
      async () => performance.now() - started > naiveSeconds * 1000 || !(await hasUnpublished(db)),
      {
        timeoutMs: naiveSeconds * 1000 + 10_000,
        intervalMs: 100,
        what: 'the naive relay',
      },
    );
    await naive.stop();
    const seconds = (performance.now() - started) / 1000;
    const published = Number(
      (await db(OUTBOX_TABLE).whereNotNull('published_at').count({ n: '*' }))[0]!.n,
    );
    return {
      id: 'naive-relay',
      stage: STAGE,
      name: 'naive relay (poll 500 ms, 100 rows, send + UPDATE per row)',
      perSecond: published / seconds,
      unit: 'rows/s',
      count: published,
      producedBy:
        `bench/naive-relay.ts on a backlog of ${naiveBacklog} rows for ${naiveSeconds} s at most ` +
        `(same idempotent producer, acks=all); rows marked published ÷ time`,
    };
  } finally {
    await producer.disconnect();
    await db.destroy();
  }
}

async function hasUnpublished(db: Knex): Promise<boolean> {
  const result = await db.raw(
    `select exists (select 1 from ${OUTBOX_TABLE} where published_at is null) as pending`,
  );
  return result.rows[0].pending as boolean;
}
