import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpApp, Knex } from '@orderflow/platform';
import { dropDatabase, testLogger, uniqueDatabaseUrl } from '@orderflow/testing';
import { buildApp } from '../src/app.js';
import { openInventoryDatabase } from '../src/database.js';

describe('inventory API on a real Postgres', () => {
  const url = uniqueDatabaseUrl('inventory_api');
  let db: Knex;
  let app: HttpApp;

  before(async () => {
    db = await openInventoryDatabase(url, testLogger());
    app = await buildApp({ db, logger: testLogger(), kafkaCheck: async () => undefined });
  });
  after(async () => {
    await app.close();
    await db.destroy();
    await dropDatabase(url);
  });

  const put = (sku: string, payload: unknown) =>
    app.inject({ method: 'PUT', url: `/inventory/${sku}`, payload: payload as object });

  it('PUT sets the units available, and keeps what is reserved', async () => {
    assert.equal((await put('P-1', { available: 10 })).statusCode, 200);
    await db('stock').where({ sku: 'P-1' }).update({ reserved: 3 });

    const response = await put('P-1', { available: 4 });
    assert.equal(response.statusCode, 200);
    assert.deepEqual([response.json().available, response.json().reserved], [4, 3]);

    const list = await app.inject({ method: 'GET', url: '/inventory' });
    assert.deepEqual(list.json().map((s: { sku: string }) => s.sku), ['P-1']);
  });

  it('GET of a SKU never stocked is a 404 problem', async () => {
    const response = await app.inject({ method: 'GET', url: '/inventory/NEVER' });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'INVENTORY_ERR_UNKNOWN_SKU');
  });

  for (const [name, sku, payload] of [
    ['a negative level', 'B-1', { available: -1 }],
    ['a level given as a string', 'B-1', { available: '5' }],
    ['a fractional level', 'B-1', { available: 2.5 }],
    ['an extra property', 'B-1', { available: 1, reserved: 0 }],
    ['a NUL character in the SKU', 'A%00B', { available: 1 }],
    ['a space in the SKU', 'A%20B', { available: 1 }],
  ] as const) {
    it(`PUT with ${name} is a 400 problem and changes nothing`, async () => {
      const response = await put(sku, payload);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal((await db('stock').whereNot({ sku: 'P-1' })).length, 0);
    });
  }

  it('GET /reservations of an order inventory has not seen is a 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/reservations/7b0c4a1e-5d0e-4f55-9d7c-2a4f1b6c0d00' });
    assert.equal(response.statusCode, 404);
  });
});
