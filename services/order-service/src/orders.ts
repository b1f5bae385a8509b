import { randomUUID } from 'node:crypto';
import { orderPlaced, type OrderItem } from '@orderflow/contracts';
import { appendToOutbox } from '@orderflow/outbox';
import type { Knex } from '@orderflow/platform';
import { OrderNotFoundError } from './errors.js';

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

/**
 * Writes the order, its items and its OrderPlaced outbox row in one transaction: the
 * event exists if and only if the order does. Nothing talks to Kafka here.
 */
export async function placeOrder(
  db: Knex,
  request: PlaceOrder,
  correlationId: string,
  events: OrderEventsOptions,
): Promise<Order> {
  const orderId = randomUUID();
  const event = orderPlaced({ orderId, customerId: request.customerId, items: request.items }, correlationId);

  await db.transaction(async (trx) => {
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
  });

  return { orderId, customerId: request.customerId, status: 'PENDING', items: request.items, createdAt: event.occurredAt };
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
