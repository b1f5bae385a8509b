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
 * Applies an OrderPlaced event exactly once in effect. In ONE transaction: record the
 * eventId (a duplicate stops here, changing nothing), then reserve every item or reject
 * the whole order. Not enough stock is a business outcome, recorded, not an error.
 *
 * Stock rows are locked in SKU order so two orders never wait on each other's rows. A
 * hot SKU serialises on its row: that is the price of never overselling it.
 */
export async function applyOrderPlaced(db: Knex, event: OrderPlacedEvent): Promise<ApplyOutcome> {
  return db.transaction(async (trx) => {
    const recorded = await trx.raw(
      `insert into processed_events (event_id, event_type) values (?, ?)
       on conflict do nothing returning event_id`,
      [event.eventId, event.eventType],
    );
    if (recorded.rows.length === 0) return 'duplicate';

    const wanted = totalsBySku(event.data.items);
    const skus = [...wanted.keys()].sort();
    const rows: { sku: string; available: number }[] = await trx('stock')
      .whereIn('sku', skus)
      .orderBy('sku')
      .forUpdate()
      .select('sku', 'available');
    const available = new Map(rows.map((r) => [r.sku, r.available]));

    const shortages = skus
      .filter((sku) => (available.get(sku) ?? 0) < wanted.get(sku)!)
      .map((sku) => `${sku} (wanted ${wanted.get(sku)}, available ${available.get(sku) ?? 0})`);
    if (shortages.length > 0) {
      await recordReservation(trx, event, 'REJECTED', `insufficient stock: ${shortages.join(', ')}`);
      return 'rejected';
    }

    for (const sku of skus) {
      const quantity = wanted.get(sku)!;
      await trx('stock')
        .where({ sku })
        .update({
          available: trx.raw('available - ?', [quantity]),
          reserved: trx.raw('reserved + ?', [quantity]),
          updated_at: trx.fn.now(),
        });
    }
    await recordReservation(trx, event, 'RESERVED', null);
    return 'reserved';
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

async function recordReservation(
  trx: Knex.Transaction,
  event: OrderPlacedEvent,
  status: Reservation['status'],
  reason: string | null,
) {
  await trx('reservations').insert({
    order_id: event.data.orderId,
    event_id: event.eventId,
    status,
    reason,
    items: JSON.stringify(event.data.items),
    occurred_at: event.occurredAt,
  });
}
