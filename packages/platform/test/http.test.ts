import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { createHttpApp, registerHealth } from '../src/index.js';
import { testLogger } from '@orderflow/testing';

describe('HTTP conventions', () => {
  it('readiness answers 503 naming the check that fails, and 200 when all pass', async () => {
    let kafkaUp = false;
    const app = await createHttpApp({ logger: testLogger() });
    registerHealth(app, {
      database: async () => undefined,
      kafka: async () => {
        if (!kafkaUp) throw new Error('connect ECONNREFUSED');
      },
    });

    const down = await app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(down.statusCode, 503);
    assert.match(down.headers['content-type'] as string, /^application\/problem\+json/);
    assert.match(down.json().detail, /kafka/);
    assert.deepEqual(down.json().checks, { database: 'ok', kafka: 'failing' });

    kafkaUp = true;
    assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
  });

  it('a readiness check that hangs counts as failing after its time limit', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    registerHealth(app, { database: () => new Promise(() => {}) }, 50);
    assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 503);
  });

  it('an unexpected error answers 500 without its message, stack or SQL', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    app.get('/boom', async () => {
      throw new Error('select * from secrets where password = 42');
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    assert.equal(response.statusCode, 500);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    assert.doesNotMatch(response.body, /secrets|select|at /);
  });

  it('a database that cannot be reached is a 503 with Retry-After, not a 500', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    app.get('/db', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const response = await app.inject({ method: 'GET', url: '/db' });
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '1');
    assert.doesNotMatch(response.body, /5432/);
  });

  it('an unknown route is a 404 problem, and every response carries a correlation id', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    const response = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-correlation-id': 'abc-1' } });
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'HTTP_ERR_ROUTE_NOT_FOUND');
    assert.equal(response.headers['x-correlation-id'], 'abc-1');

    const fresh = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-correlation-id': 'bad id\n' } });
    assert.match(fresh.headers['x-correlation-id'] as string, /^[0-9a-f-]{36}$/);
  });

  it('a path segment that is too long or not valid is a problem, without the URL echoed', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    app.get('/items/:id', async () => ({}));
    for (const url of [`/items/${'A'.repeat(5000)}`, '/items/%E0%A4%A']) {
      const response = await app.inject({ method: 'GET', url });
      assert.ok(response.statusCode >= 400 && response.statusCode < 500, String(response.statusCode));
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.doesNotMatch(response.body, /AAAA|%E0/);
    }
  });

  it('validates bodies without coercing types', async () => {
    const app = await createHttpApp({ logger: testLogger() });
    app.post('/n', { schema: { body: Type.Object({ n: Type.Integer() }) } }, async (request) => request.body);
    const response = await app.inject({ method: 'POST', url: '/n', payload: { n: '3' } });
    assert.equal(response.statusCode, 400);
    assert.match(response.json().detail, /n/);
  });
});
