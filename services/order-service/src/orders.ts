import { randomUUID } from 'node:crypto';
import { orderPlaced, type OrderItem } from '@orderflow/contracts';
import { appendToOutbox } from '@orderflow/outbox';
import type { Knex } from '@orderflow/platform';
import { OrderNotFoundError } from './errors.js';
import { claimKey, requestHash, storeResponse } from './idempotency.js';

/** The status of an order as the order service knows it. */
export type OrderStatus = 'PENDING';

/** An order as the API shows it. */
export interface Order {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  items: OrderItem[];
  createdAt: string;
}

/** What a client asks for. */
export interface PlaceOrder {
  customerId: string;
  items: OrderItem[];
}

/** Where order events go and how the relay is woken. */
export interface OrderEventsOptions {
  topic: string;
  notify: boolean;
}

/** What placing an order produced: the order, and whether it is a replay of an earlier request. */
export interface PlacedOrder {
  order: Order;
  /** True when an Idempotency-Key matched an earlier request: nothing new was written. */
  replayed: boolean;
}

/**
 * Writes the order, its items and its OrderPlaced outbox row in one transaction: the
 * event exists if and only if the order does. Nothing talks to Kafka here. With an
 * idempotency key, the key is claimed in the same transaction, so a repeated or racing
 * request gets the first one's answer and writes nothing.
 */
export async function placeOrder(
  db: Knex,
  request: PlaceOrder,
  correlationId: string,
  events: OrderEventsOptions,
  idempotencyKey?: string,
): Promise<PlacedOrder> {
  const hash = idempotencyKey === undefined ? undefined : requestHash(request);

  return db.transaction(async (trx) => {
    if (idempotencyKey !== undefined && hash !== undefined) {
      const stored = await claimKey(trx, idempotencyKey, hash);
      if (stored) return { order: stored as Order, replayed: true };
    }

    const orderId = randomUUID();
    const event = orderPlaced({ orderId, customerId: request.customerId, items: request.items }, correlationId);
    await trx('orders').insert({
      id: orderId,
      customer_id: request.customerId,
      status: 'PENDING',
      correlation_id: correlationId,
      created_at: event.occurredAt,
    });
    await trx('order_items').insert(
      request.items.map((item, line) => ({ order_id: orderId, line, sku: item.sku, quantity: item.quantity })),
    );
    await appendToOutbox(trx, event, { topic: events.topic, key: orderId, notify: events.notify });

    const order: Order = {
      orderId,
      customerId: request.customerId,
      status: 'PENDING',
      items: request.items,
      createdAt: event.occurredAt,
    };
    if (idempotencyKey !== undefined) await storeResponse(trx, idempotencyKey, order);
    return { order, replayed: false };
  });
}

/** The order with its items, or OrderNotFoundError. */
export async function getOrder(db: Knex, orderId: string): Promise<Order> {
  const order = await db('orders').where({ id: orderId }).first();
  if (!order) throw new OrderNotFoundError(orderId);
  const items = await db('order_items').where({ order_id: orderId }).orderBy('line').select('sku', 'quantity');
  return {
    orderId: order.id,
    customerId: order.customer_id,
    status: order.status,
    items,
    createdAt: new Date(order.created_at).toISOString(),
  };
}
