import type { Message, Producer } from 'kafkajs';
import type { Knex, Logger } from '@orderflow/platform';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from './schema.js';
import { listenForNotifications } from './listener.js';
import { Wakeup } from './wakeup.js';

/**
 * Key of the transaction-scoped advisory lock a relay holds while it publishes a batch.
 * Only one batch is in flight across all relay instances, so two relays can never
 * publish one key's rows out of order; the extra instances are for availability.
 */
export const RELAY_LOCK_KEY = 0x0_07b0_c5;

/** Options of createRelay. */
export interface RelayOptions {
  db: Knex;
  /** Idempotent producer; batches are sent with acks=all. */
  producer: Producer;
  logger: Logger;
  /** Database URL for the LISTEN connection. */
  listenUrl: string;
  /** Most rows claimed and published at once (default 500). */
  batchSize?: number;
  /** Fallback poll when no notification arrives, in ms (default 1000). */
  pollIntervalMs?: number;
  /** Called after each published batch. */
  onBatch?(rows: number, durationMs: number): void;
}

/** A relay loop. */
export interface Relay {
  /** Claims, publishes and marks one batch; resolves to the number of rows published. */
  relayOnce(): Promise<number>;
  /** Starts the loop: LISTEN plus a fallback poll. */
  start(): void;
  /** Stops after the batch in hand; never marks a row that Kafka did not acknowledge. */
  stop(): Promise<void>;
}

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

/** The outbox relay: moves committed outbox rows to Kafka, at least once and in order. */
export function createRelay(options: RelayOptions): Relay {
  const { db, producer } = options;
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const log = options.logger.child({ component: 'relay' });
  const wakeup = new Wakeup();
  let running = false;
  let loop: Promise<void> | undefined;
  let listener: { close(): Promise<void> } | undefined;

  const relayOnce = async (): Promise<number> => {
    const started = performance.now();
    const published = await db.transaction(async (trx) => {
      const lock = await trx.raw('select pg_try_advisory_xact_lock(?) as locked', [RELAY_LOCK_KEY]);
      if (!lock.rows[0].locked) return 0;

      // SKIP LOCKED and no `id > last seen` cursor: ids are taken at insert but commit in
      // any order, so a cursor would skip a row whose transaction committed late.
      const claimed = await trx.raw(
        `select id, topic, message_key, payload::text as payload, headers
           from ${OUTBOX_TABLE}
          where published_at is null
          order by id
          limit ?
          for update skip locked`,
        [batchSize],
      );
      const rows = claimed.rows as OutboxRow[];
      if (rows.length === 0) return 0;

      await producer.sendBatch({ acks: -1, topicMessages: groupByTopic(rows) });
      // A crash here, after Kafka acknowledged the batch, rolls the marks back: the rows
      // are published again later. A duplicate, never a loss; consumers dedupe by eventId.
      await trx.raw(`update ${OUTBOX_TABLE} set published_at = now() where id = any(?::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      if (log.isLevelEnabled('debug')) {
        for (const row of rows) {
          const { eventId, eventType, correlationId } = row.headers;
          log.debug({ outboxId: row.id, key: row.message_key, eventId, eventType, correlationId }, 'event published');
        }
      }
      return rows.length;
    });
    if (published > 0) {
      const durationMs = performance.now() - started;
      log.debug({ rows: published, ms: Math.round(durationMs) }, 'batch published');
      options.onBatch?.(published, durationMs);
    }
    return published;
  };

  const run = async () => {
    let failures = 0;
    while (running) {
      try {
        const published = await relayOnce();
        failures = 0;
        if (published > 0) continue;
        await wakeup.wait(pollIntervalMs);
      } catch (err) {
        failures += 1;
        const delayMs = Math.min(10_000, 200 * 2 ** failures);
        log.error({ err, delayMs }, 'batch failed, will retry');
        await wakeup.wait(delayMs);
      }
    }
  };

  return {
    relayOnce,
    start() {
      if (running) return;
      running = true;
      listener = listenForNotifications({
        url: options.listenUrl,
        channel: OUTBOX_CHANNEL,
        onNotify: () => wakeup.notify(),
        logger: log,
      });
      loop = run();
    },
    async stop() {
      running = false;
      wakeup.notify();
      await loop;
      await listener?.close();
    },
  };
}

function groupByTopic(rows: OutboxRow[]) {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
