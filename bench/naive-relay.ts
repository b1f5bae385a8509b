/**
 * The textbook outbox relay, the design the real one is measured against: poll every
 * 500 ms for up to 100 unpublished rows, then for each row one `send` and one `UPDATE`.
 * Kept here, and only here, to be measured; it has none of the real relay's batching,
 * row claiming or wake-up on NOTIFY.
 */
import type { Producer } from 'kafkajs';
import { OUTBOX_TABLE } from '@orderflow/outbox';
import type { Knex } from '@orderflow/platform';

/** Options of startNaiveRelay. */
export interface NaiveRelayOptions {
  db: Knex;
  producer: Producer;
  /** Topic to publish to, in place of each row's own. */
  topic: string;
  pollIntervalMs?: number;
  batchSize?: number;
}

/** Starts polling; stop() resolves once the batch in hand is done. */
export function startNaiveRelay(options: NaiveRelayOptions): { stop(): Promise<void> } {
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const batchSize = options.batchSize ?? 100;
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => {};

  const poll = async () => {
    const rows: {
      id: string;
      message_key: string;
      payload: string;
      headers: Record<string, string>;
    }[] = await options
      .db(OUTBOX_TABLE)
      .whereNull('published_at')
      .orderBy('id')
      .limit(batchSize)
      .select('id', 'message_key', options.db.raw('payload::text as payload'), 'headers');
    for (const row of rows) {
      if (!running) return;
      await options.producer.send({
        topic: options.topic,
        acks: -1,
        messages: [{ key: row.message_key, value: row.payload, headers: row.headers }],
      });
      await options
        .db(OUTBOX_TABLE)
        .where({ id: row.id })
        .update({ published_at: options.db.fn.now() });
    }
  };

  const loop = (async () => {
    while (running) {
      await poll();
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pollIntervalMs);
      });
    }
  })();

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      wake();
      await loop;
    },
  };
}
