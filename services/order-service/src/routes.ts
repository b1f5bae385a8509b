import { Type } from '@sinclair/typebox';
import { Name, OrderItem, Uuid } from '@orderflow/contracts';
import { problemResponses, type HttpApp, type Knex } from '@orderflow/platform';
import { checkIdempotencyKey } from './idempotency.js';
import { getOrder, placeOrder, type OrderEventsOptions } from './orders.js';

const PlaceOrderBody = Type.Object(
  {
    customerId: Name,
    items: Type.Array(OrderItem, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);

const OrderResponse = Type.Object({
  orderId: Type.String(),
  customerId: Type.String(),
  status: Type.String(),
  items: Type.Array(OrderItem),
  createdAt: Type.String(),
});

/** POST /orders and GET /orders/:orderId. */
export function registerOrderRoutes(app: HttpApp, db: Knex, events: OrderEventsOptions) {
  app.post(
    '/orders',
    {
      schema: {
        headers: Type.Object({
          'idempotency-key': Type.Optional(
            Type.String({ description: 'repeat a request safely: the same key returns the same order' }),
          ),
        }),
        body: PlaceOrderBody,
        response: { 201: OrderResponse, ...problemResponses(400, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const given = request.headers['idempotency-key'];
      const key = given === undefined ? undefined : checkIdempotencyKey(given);
      const placed = await placeOrder(db, request.body, request.correlationId, events, key);
      const { orderId } = placed.order;
      if (placed.replayed) {
        request.log.info({ orderId }, 'order request replayed');
        reply.header('idempotent-replayed', 'true');
      } else {
        request.log.info({ orderId }, 'order placed');
      }
      return reply.status(201).header('location', `/orders/${orderId}`).send(placed.order);
    },
  );

  app.get(
    '/orders/:orderId',
    { schema: { params: Type.Object({ orderId: Uuid }), response: { 200: OrderResponse, ...problemResponses(400, 404) } } },
    async (request) => getOrder(db, request.params.orderId),
  );
}
