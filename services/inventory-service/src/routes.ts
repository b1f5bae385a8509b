import { Type } from '@sinclair/typebox';
import { OrderItem, Sku, Uuid } from '@orderflow/contracts';
import { problemResponses, type HttpApp, type Knex } from '@orderflow/platform';
import { getReservation } from './reservations.js';
import { getStock, listStock, setAvailable } from './stock.js';

const SkuParams = Type.Object({ sku: Sku });

const StockLevel = Type.Object({
  sku: Type.String(),
  available: Type.Integer(),
  reserved: Type.Integer(),
  updatedAt: Type.String(),
});

const Reservation = Type.Object({
  orderId: Type.String(),
  eventId: Type.String(),
  status: Type.Union([Type.Literal('RESERVED'), Type.Literal('REJECTED')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(OrderItem),
  occurredAt: Type.String(),
  appliedAt: Type.String(),
});

const SetAvailableBody = Type.Object(
  { available: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }) },
  { additionalProperties: false },
);

/** Stock levels and reservation outcomes over HTTP. */
export function registerInventoryRoutes(app: HttpApp, db: Knex) {
  app.get('/inventory', { schema: { response: { 200: Type.Array(StockLevel) } } }, async () => listStock(db));

  app.get(
    '/inventory/:sku',
    { schema: { params: SkuParams, response: { 200: StockLevel, ...problemResponses(400, 404) } } },
    async (request) => getStock(db, request.params.sku),
  );

  app.put(
    '/inventory/:sku',
    {
      schema: {
        params: SkuParams,
        body: SetAvailableBody,
        response: { 200: StockLevel, ...problemResponses(400, 413, 415) },
      },
    },
    async (request) => {
      const level = await setAvailable(db, request.params.sku, request.body.available);
      request.log.info({ sku: level.sku, available: level.available }, 'stock level set');
      return level;
    },
  );

  app.get(
    '/reservations/:orderId',
    { schema: { params: Type.Object({ orderId: Uuid }), response: { 200: Reservation, ...problemResponses(400, 404) } } },
    async (request) => getReservation(db, request.params.orderId),
  );
}
