/**
 * The OpenAPI documents the HTTP services serve are valid OpenAPI 3.1, describe every
 * public route, and come with Swagger UI at /docs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { HttpApp, Knex } from '@orderflow/platform';
import { dropDatabase, testLogger, uniqueDatabaseUrl } from '@orderflow/testing';
import { buildApp as buildInventoryApp } from '../services/inventory-service/src/app.js';
import { openInventoryDatabase } from '../services/inventory-service/src/database.js';
import { buildApp as buildOrderApp } from '../services/order-service/src/app.js';
import { openOrdersDatabase } from '../services/order-service/src/database.js';

describe('OpenAPI documents', () => {
  const urls = { orders: uniqueDatabaseUrl('openapi_orders'), inventory: uniqueDatabaseUrl('openapi_inventory') };
  const dbs: Knex[] = [];
  const apps: Record<string, HttpApp> = {};

  before(async () => {
    const logger = testLogger();
    const ordersDb = await openOrdersDatabase(urls.orders, logger);
    const inventoryDb = await openInventoryDatabase(urls.inventory, logger);
    dbs.push(ordersDb, inventoryDb);
    apps.orders = await buildOrderApp({ db: ordersDb, logger, topic: 'orders', notify: false });
    apps.inventory = await buildInventoryApp({ db: inventoryDb, logger, kafkaCheck: async () => undefined });
  });
  after(async () => {
    for (const app of Object.values(apps)) await app.close();
    for (const db of dbs) await db.destroy();
    await Promise.all(Object.values(urls).map(dropDatabase));
  });

  const expected: Record<string, string[]> = {
    orders: ['/orders', '/orders/{orderId}', '/health/live', '/health/ready'],
    inventory: ['/inventory', '/inventory/{sku}', '/reservations/{orderId}', '/health/live', '/health/ready'],
  };

  for (const [service, paths] of Object.entries(expected)) {
    it(`the ${service} service serves a valid OpenAPI 3.1 document of its routes`, async () => {
      const response = await apps[service]!.inject({ method: 'GET', url: '/docs/json' });
      assert.equal(response.statusCode, 200);
      const document = response.json();

      const result = await new Validator().validate(document);
      assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
      assert.equal(document.openapi, '3.1.0');
      assert.deepEqual(Object.keys(document.paths).sort(), [...paths].sort());
      assert.ok(!('/metrics' in document.paths));
      for (const [path, operations] of Object.entries(document.paths as Record<string, object>)) {
        if (path.startsWith('/health')) continue;
        type Operation = { responses: object; parameters?: unknown[]; requestBody?: unknown };
        for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) {
          if (!operation.parameters?.length && !operation.requestBody) continue;
          const statuses = Object.keys(operation.responses);
          assert.ok(statuses.includes('400'), `${method} ${path} documents its 400 problem`);
        }
      }
    });

    it(`the ${service} service serves Swagger UI at /docs`, async () => {
      const response = await apps[service]!.inject({ method: 'GET', url: '/docs/' });
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /swagger/i);
    });
  }
});
