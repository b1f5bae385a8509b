/**
 * A backlog of outbox rows written straight into the outbox table, as if that many
 * orders had been placed while no relay ran: valid OrderPlaced events (inventory applies
 * them later), built by Postgres itself so that 50,000 take a second, not a minute.
 */
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from '@orderflow/outbox';
import type { Knex } from '@orderflow/platform';

/** SKUs the backlog's orders spread over: SKU-0 … SKU-99. */
export const BACKLOG_SKUS = 100;

/** Inserts `count` rows for `topic` in one transaction that also wakes a listening relay. */
export async function insertBacklog(db: Knex, topic: string, count: number): Promise<void> {
  await db.transaction(async (trx) => {
    await trx.raw(
      `insert into ${OUTBOX_TABLE} (event_id, topic, message_key, payload, headers)
       select e.event_id, ?, e.order_id::text,
              json_build_object(
                'eventId', e.event_id,
                'eventType', 'OrderPlaced',
                'schemaVersion', 1,
                'occurredAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                'correlationId', 'bench-' || e.n,
                'data', json_build_object(
                  'orderId', e.order_id,
                  'customerId', 'c-' || (e.n % 1000),
                  'items', json_build_array(
                    json_build_object('sku', 'SKU-' || (e.n % ?), 'quantity', 1),
                    json_build_object('sku', 'SKU-' || ((e.n + 7) % ?), 'quantity', 2)))),
              jsonb_build_object('eventId', e.event_id, 'eventType', 'OrderPlaced', 'correlationId', 'bench-' || e.n)
         from (select n, gen_random_uuid() as event_id, gen_random_uuid() as order_id
                 from generate_series(1, ?::int) as n) as e
        order by e.n`,
      [topic, BACKLOG_SKUS, BACKLOG_SKUS, count],
    );
    await trx.raw(`notify ${OUTBOX_CHANNEL}`);
  });
}
