import type { OrderItem, OrderPlacedEvent } from '@orderflow/contracts';
import type { Knex } from '@orderflow/platform';
import { UnknownReservationError } from './errors.js';

/** What applying an OrderPlaced event did. */
export type ApplyOutcome = 'reserved' | 'rejected' | 'duplicate';

/** Inventory's answer to one order. */
export interface Reservation {
  orderId: string;
  eventId: string;
  status: 'RESERVED' | 'REJECTED';
  reason: string | null;
  items: OrderItem[];
  occurredAt: string;
  appliedAt: string;
}

/**
 * Applies OrderPlaced events exactly once in effect, in ONE transaction, in order: each
 * eventId is recorded in processed_events (a copy seen before, in this batch or earlier,
 * is a duplicate and changes nothing), then each order is reserved whole or rejected
 * whole. Not enough stock is a business outcome, recorded, not an error. One commit for
 * many events is what makes a backlog drain fast.
 *
 * Stock rows are locked in SKU order, so two batches never wait on each other's rows in
 * a cycle. A hot SKU serialises on its row: that is the price of never overselling it.
 */
export async function applyOrderPlacedBatch(db: Knex, events: OrderPlacedEvent[]): Promise<ApplyOutcome[]> {
  return db.transaction(async (trx) => {
    const recorded = await trx.raw(
      `insert into processed_events (event_id, event_type)
       select * from unnest(?::uuid[], ?::text[])
       on conflict do nothing returning event_id`,
      [events.map((e) => e.eventId), events.map((e) => e.eventType)],
    );
    const fresh = new Set<string>(recorded.rows.map((r: { event_id: string }) => r.event_id));
    // Only the first copy of a fresh eventId is applied; every other one is a duplicate.
    const outcomes: ApplyOutcome[] = events.map(() => 'duplicate');
    const toApply = [...events.entries()].filter(([, e]) => fresh.delete(e.eventId.toLowerCase()));
    if (toApply.length === 0) return outcomes;

    const skus = [...new Set(toApply.flatMap(([, e]) => e.data.items.map((i) => i.sku)))].sort();
    const rows: { sku: string; available: number }[] = await trx('stock')
      .whereIn('sku', skus)
      .orderBy('sku')
      .forUpdate()
      .select('sku', 'available');
    const available = new Map(rows.map((r) => [r.sku, r.available]));

    const taken = new Map<string, number>();
    const reservations = toApply.map(([index, event]) => {
      const wanted = totalsBySku(event.data.items);
      const shortages = [...wanted]
        .filter(([sku, quantity]) => (available.get(sku) ?? 0) < quantity)
        .map(([sku, quantity]) => `${sku} (wanted ${quantity}, available ${available.get(sku) ?? 0})`);
      if (shortages.length > 0) {
        outcomes[index] = 'rejected';
        return reservationRow(event, 'REJECTED', `insufficient stock: ${shortages.join(', ')}`);
      }
      for (const [sku, quantity] of wanted) {
        available.set(sku, available.get(sku)! - quantity);
        taken.set(sku, (taken.get(sku) ?? 0) + quantity);
      }
      outcomes[index] = 'reserved';
      return reservationRow(event, 'RESERVED', null);
    });

    for (const sku of [...taken.keys()].sort()) {
      const quantity = taken.get(sku)!;
      await trx('stock')
        .where({ sku })
        .update({
          available: trx.raw('available - ?', [quantity]),
          reserved: trx.raw('reserved + ?', [quantity]),
          updated_at: trx.fn.now(),
        });
    }
    await trx('reservations').insert(reservations);
    return outcomes;
  });
}

/** Inventory's answer to an order, or UnknownReservationError while it has none. */
export async function getReservation(db: Knex, orderId: string): Promise<Reservation> {
  const row = await db('reservations').where({ order_id: orderId }).first();
  if (!row) throw new UnknownReservationError(orderId);
  return {
    orderId: row.order_id,
    eventId: row.event_id,
    status: row.status,
    reason: row.reason,
    items: row.items,
    occurredAt: row.occurred_at.toISOString(),
    appliedAt: row.applied_at.toISOString(),
  };
}

function totalsBySku(items: OrderItem[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of items) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  return totals;
}

function reservationRow(event: OrderPlacedEvent, status: Reservation['status'], reason: string | null) {
  return {
    order_id: event.data.orderId,
    event_id: event.eventId,
    status,
    reason,
    items: JSON.stringify(event.data.items),
    occurred_at: event.occurredAt,
  };
}
