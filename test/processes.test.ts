/**
 * The three services as the processes `pnpm start` and Docker run: configured only by
 * environment variables, talking over real ports, stopping cleanly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  dropDatabase,
  spawnService,
  testServers,
  uniqueDatabaseUrl,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@orderflow/testing';
import { freePort } from '../infra/kafka/broker.js';

const CORRELATION_ID = `corr-${Date.now()}`;

describe('the services as processes', () => {
  const ordersUrl = uniqueDatabaseUrl('proc_orders');
  const inventoryUrl = uniqueDatabaseUrl('proc_inventory');
  const services: ServiceProcess[] = [];
  let orderPort: number;
  let inventoryPort: number;
  let relayPort: number;

  before(async () => {
    [orderPort, inventoryPort, relayPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const common = {
      KAFKA_BROKERS: testServers().kafkaBrokers,
      ORDERS_TOPIC: uniqueName('orders'),
      LOG_LEVEL: 'debug',
    };
    services.push(
      spawnService('order-service', { ...common, DATABASE_URL: ordersUrl, PORT: String(orderPort) }),
      spawnService('outbox-relay', { ...common, DATABASE_URL: ordersUrl, HEALTH_PORT: String(relayPort) }),
      spawnService('inventory-service', {
        ...common,
        DATABASE_URL: inventoryUrl,
        PORT: String(inventoryPort),
        CONSUMER_GROUP_ID: uniqueName('inventory'),
      }),
    );
    const ports = [orderPort, inventoryPort, relayPort];
    for (const [i, service] of services.entries()) {
      await waitFor(
        async () => {
          if (service.child.exitCode !== null) throw new Error(`exited: ${service.output.join('')}`);
          return (await fetch(`http://127.0.0.1:${ports[i]}/health/ready`)).ok;
        },
        { timeoutMs: 60_000, what: `service ${i} to be ready` },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${service.output.join('')}`);
      });
    }
  });

  after(async () => {
    for (const service of services) service.child.kill('SIGKILL');
    await Promise.all([dropDatabase(ordersUrl), dropDatabase(inventoryUrl)]);
  });

  it('set stock, place an order, see stock change, as a user would with curl', async () => {
    const json = { 'content-type': 'application/json' };
    const put = await fetch(`http://127.0.0.1:${inventoryPort}/inventory/SKU-1`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ available: 10 }),
    });
    assert.equal(put.status, 200);

    const post = await fetch(`http://127.0.0.1:${orderPort}/orders`, {
      method: 'POST',
      headers: { ...json, 'x-correlation-id': CORRELATION_ID },
      body: JSON.stringify({ customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }] }),
    });
    assert.equal(post.status, 201);
    const { orderId, status } = await post.json();
    assert.equal(status, 'PENDING');
    assert.equal(post.headers.get('location'), `/orders/${orderId}`);

    const stock = await waitFor(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${inventoryPort}/inventory/SKU-1`)).json();
        return body.available === 8 ? body : undefined;
      },
      { what: 'stock to drop to 8' },
    );
    assert.equal(stock.reserved, 2);
  });

  it('the caller\'s x-correlation-id is in the log lines about the order in all three services', () => {
    for (const service of services) {
      const lines = service.output.join('').split('\n').filter((line) => line.includes(CORRELATION_ID));
      assert.ok(lines.length > 0, `no line with the correlation id in:\n${service.output.join('')}`);
      for (const line of lines) assert.equal(JSON.parse(line).correlationId, CORRELATION_ID);
    }
  });

  it('every service exits 0 on SIGTERM', async () => {
    for (const service of services) service.child.kill('SIGTERM');
    const codes = await Promise.all(services.map((s) => s.exit));
    assert.deepEqual(codes, [0, 0, 0], services.map((s) => s.output.join('')).join('\n'));
  });
});

describe('a service with a bad configuration', () => {
  it('stops at once with one line naming the variable', async () => {
    const service = spawnService('order-service', { PORT: 'eighty' });
    assert.equal(await service.exit, 1);
    const lines = service.output.join('').trim().split('\n');
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, /PORT/);
    assert.match(lines[0]!, /"eighty"/);
  });
});
