import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpApp, Knex } from '@orderflow/platform';
import { dropDatabase, testLogger, uniqueDatabaseUrl } from '@orderflow/testing';
import { buildApp } from '../src/app.js';
import { openOrdersDatabase } from '../src/database.js';

describe('orders API on a real Postgres', () => {
  const url = uniqueDatabaseUrl('orders_api');
  let db: Knex;
  let app: HttpApp;

  before(async () => {
    db = await openOrdersDatabase(url, testLogger());
    app = await buildApp({ db, logger: testLogger(), topic: 'orders', notify: true });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await db.destroy();
    await dropDatabase(url);
  });

  const count = async (table: string) => Number((await db(table).count({ n: '*' }))[0]!.n);
  const counts = async () => ({
    orders: await count('orders'),
    items: await count('order_items'),
    outbox: await count('outbox'),
  });

  it('POST /orders writes the order, its items and one OrderPlaced outbox row', async () => {
    const before = await counts();
    const response = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'x-correlation-id': 'req-42' },
      payload: { customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }] },
    });

    assert.equal(response.statusCode, 201);
    const order = response.json();
    assert.equal(order.status, 'PENDING');
    assert.equal(response.headers.location, `/orders/${order.orderId}`);
    assert.deepEqual(await counts(), { orders: before.orders + 1, items: before.items + 2, outbox: before.outbox + 1 });

    const row = await db('outbox').where({ message_key: order.orderId }).first();
    assert.equal(row.topic, 'orders');
    assert.equal(row.payload.eventType, 'OrderPlaced');
    assert.equal(row.payload.correlationId, 'req-42');
    assert.deepEqual(row.payload.data.items, [{ sku: 'SKU-1', quantity: 2 }, { sku: 'SKU-2', quantity: 1 }]);
    assert.deepEqual(row.headers, { eventId: row.payload.eventId, eventType: 'OrderPlaced', correlationId: 'req-42' });
  });

  it('GET /orders/:id returns the order with its items', async () => {
    const placed = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: { customerId: 'c-2', items: [{ sku: 'SKU-9', quantity: 3 }] },
    });
    const { orderId } = placed.json();

    const response = await app.inject({ method: 'GET', url: `/orders/${orderId}` });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), placed.json());
  });

  it('GET of an unknown order answers 404 as a problem document', async () => {
    const response = await app.inject({ method: 'GET', url: '/orders/7b0c4a1e-5d0e-4f55-9d7c-2a4f1b6c0d00' });
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    assert.equal(response.json().code, 'ORDER_ERR_NOT_FOUND');
  });

  it('GET with an id that is not a UUID answers 400', async () => {
    const response = await app.inject({ method: 'GET', url: '/orders/not-a-uuid' });
    assert.equal(response.statusCode, 400);
  });

  const badBodies: [string, unknown][] = [
    ['no customerId', { items: [{ sku: 'A', quantity: 1 }] }],
    ['an empty customerId', { customerId: '', items: [{ sku: 'A', quantity: 1 }] }],
    ['a blank customerId', { customerId: '   ', items: [{ sku: 'A', quantity: 1 }] }],
    ['no items', { customerId: 'c' }],
    ['an empty item list', { customerId: 'c', items: [] }],
    ['an empty sku', { customerId: 'c', items: [{ sku: '', quantity: 1 }] }],
    ['quantity as a string', { customerId: 'c', items: [{ sku: 'A', quantity: '3' }] }],
    ['quantity null', { customerId: 'c', items: [{ sku: 'A', quantity: null }] }],
    ['quantity true', { customerId: 'c', items: [{ sku: 'A', quantity: true }] }],
    ['quantity 2.5', { customerId: 'c', items: [{ sku: 'A', quantity: 2.5 }] }],
    ['quantity 0', { customerId: 'c', items: [{ sku: 'A', quantity: 0 }] }],
    ['quantity -1', { customerId: 'c', items: [{ sku: 'A', quantity: -1 }] }],
    ['an extra property', { customerId: 'c', items: [{ sku: 'A', quantity: 1 }], coupon: 'X' }],
    ['an extra item property', { customerId: 'c', items: [{ sku: 'A', quantity: 1, price: 3 }] }],
    ['a JSON array', [{ customerId: 'c' }]],
    ['a NUL character in the sku', { customerId: 'c', items: [{ sku: 'A\u0000B', quantity: 1 }] }],
    ['a NUL character in the customerId', { customerId: 'c\u0000', items: [{ sku: 'A', quantity: 1 }] }],
    ['a lone surrogate in the sku', { customerId: 'c', items: [{ sku: '\ud800', quantity: 1 }] }],
    ['a space in the sku', { customerId: 'c', items: [{ sku: 'A B', quantity: 1 }] }],
  ];
  for (const [name, payload] of badBodies) {
    it(`rejects a body with ${name} with 400 and writes nothing`, async () => {
      const before = await counts();
      const response = await app.inject({ method: 'POST', url: '/orders', payload: payload as object });
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.ok(response.json().detail.length > 0);
      assert.deepEqual(await counts(), before);
    });
  }

  it('rejects malformed JSON with 400, a wrong content type with 415, and a huge body with 413', async () => {
    const before = await counts();
    const malformed = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{"customerId": "c", "items": [',
    });
    const wrongType = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'text/plain' },
      payload: 'customerId=c',
    });
    const huge = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: { customerId: 'c'.repeat(100_000), items: [{ sku: 'A', quantity: 1 }] },
    });
    assert.deepEqual([malformed.statusCode, wrongType.statusCode, huge.statusCode], [400, 415, 413]);
    for (const response of [malformed, wrongType, huge]) {
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.doesNotMatch(response.body, /at \w+ \(|node_modules/);
    }
    assert.deepEqual(await counts(), before);
  });

  describe('Idempotency-Key', () => {
    const body = { customerId: 'c-idem', items: [{ sku: 'SKU-1', quantity: 1 }] };
    const post = (key: string, payload: object = body) =>
      app.inject({ method: 'POST', url: '/orders', headers: { 'idempotency-key': key }, payload });

    it('a repeated request returns the same order and status and writes nothing new', async () => {
      const first = await post('key-repeat');
      const before = await counts();
      const again = await post('key-repeat', { items: body.items, customerId: body.customerId });

      assert.deepEqual([first.statusCode, again.statusCode], [201, 201]);
      assert.deepEqual(again.json(), first.json());
      assert.equal(again.headers.location, first.headers.location);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.deepEqual(await counts(), before);
    });

    it('racing requests with one key make one order', async () => {
      const before = await counts();
      const responses = await Promise.all(Array.from({ length: 6 }, () => post('key-race')));

      assert.deepEqual(new Set(responses.map((r) => r.statusCode)), new Set([201]));
      assert.equal(new Set(responses.map((r) => r.json().orderId)).size, 1);
      assert.deepEqual(await counts(), { orders: before.orders + 1, items: before.items + 1, outbox: before.outbox + 1 });
    });

    it('the same key with a different body answers 422 and writes nothing', async () => {
      await post('key-other-body');
      const before = await counts();
      const response = await post('key-other-body', { ...body, customerId: 'someone-else' });

      assert.equal(response.statusCode, 422);
      assert.equal(response.json().code, 'ORDER_ERR_IDEMPOTENCY_KEY_REUSED');
      assert.deepEqual(await counts(), before);
    });

    it('a key that is too long or not printable is refused with 400', async () => {
      for (const key of ['k'.repeat(256), 'has space']) {
        const response = await post(key);
        assert.equal(response.statusCode, 400, key);
      }
    });
  });
});
