/**
 * SIGTERM in the middle of work: the order service answers every request it accepted and
 * loses none of those orders; the relay never marks a row Kafka did not acknowledge, and
 * after a restart publishes the rest.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin } from 'kafkajs';
import { createKafka, ensureTopics } from '@orderflow/messaging';
import { createDatabase, type Knex } from '@orderflow/platform';
import {
  dropDatabase,
  spawnService,
  testLogger,
  testServers,
  topicSize,
  uniqueDatabaseUrl,
  uniqueName,
  waitFor,
  type ServiceProcess,
} from '@orderflow/testing';
import { freePort } from '../infra/kafka/broker.js';
import { openOrdersDatabase } from '../services/order-service/src/database.js';

describe('SIGTERM under load', () => {
  const url = uniqueDatabaseUrl('shutdown');
  const topic = uniqueName('orders');
  const started: ServiceProcess[] = [];
  let db: Knex;
  let admin: Admin;

  before(async () => {
    db = await openOrdersDatabase(url, testLogger());
    admin = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'shutdown-test', logger: testLogger() }).admin();
    await admin.connect();
    await ensureTopics(admin, [{ topic, numPartitions: 3 }]);
  });
  after(async () => {
    for (const service of started) service.child.kill('SIGKILL');
    await admin.disconnect();
    await db.destroy();
    await dropDatabase(url);
  });

  async function start(name: string, env: Record<string, string>, readyPort: string) {
    const service = spawnService(name, { DATABASE_URL: url, ORDERS_TOPIC: topic, ...env });
    started.push(service);
    await waitFor(
      async () => {
        if (service.child.exitCode !== null) throw new Error(service.output.join(''));
        return (await fetch(`http://127.0.0.1:${readyPort}/health/live`)).ok;
      },
      { timeoutMs: 60_000, what: `${name} to listen` },
    );
    return service;
  }

  const count = async (query: Knex.QueryBuilder) => Number((await query.count({ n: '*' }))[0]!.n);

  it('the order service answers what it accepted, loses no order and exits 0', async () => {
    const port = String(await freePort());
    const service = await start('order-service', { PORT: port, OUTBOX_NOTIFY: 'false' }, port);
    const results: (number | 'refused')[] = [];
    const post = async () => {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/orders`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', connection: 'close' },
          body: JSON.stringify({ customerId: 'load', items: [{ sku: 'L-1', quantity: 1 }] }),
        });
        results.push(response.status);
      } catch {
        results.push('refused');
      }
    };
    const workers = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 60 && service.child.exitCode === null; i++) await post();
    });

    await waitFor(() => results.length >= 40, { what: '40 answered requests' });
    service.child.kill('SIGTERM');
    await Promise.all(workers);

    assert.equal(await service.exit, 0, service.output.join(''));
    const created = results.filter((r) => r === 201).length;
    assert.ok(created >= 40);
    assert.deepEqual(results.filter((r) => r !== 201 && r !== 'refused' && r !== 503), [], 'no other answers');
    assert.equal(await count(db('orders').where({ customer_id: 'load' })), created, 'every 201 is an order, no more');
    assert.equal(await count(db('outbox')), await count(db('orders')), 'every order has its event');
  });

  it('the relay stopped mid-backlog never marks a row Kafka did not get, and a restart publishes the rest', async () => {
    await db.raw(
      `insert into outbox (event_id, topic, message_key, payload, headers)
       select gen_random_uuid(), ?, gen_random_uuid()::text, '{"eventType":"Load"}', '{}'
         from generate_series(1, 30000)`,
      [topic],
    );
    const total = await count(db('outbox'));
    const env = { KAFKA_BROKERS: testServers().kafkaBrokers, RELAY_BATCH_SIZE: '200' };
    const port = String(await freePort());
    const relay = await start('outbox-relay', { ...env, HEALTH_PORT: port }, port);

    await waitFor(async () => (await count(db('outbox').whereNotNull('published_at'))) > 1000, {
      what: 'some rows published',
    });
    relay.child.kill('SIGTERM');
    assert.equal(await relay.exit, 0, relay.output.join(''));
    const marked = await count(db('outbox').whereNotNull('published_at'));
    assert.ok(marked < total, `stopped mid-backlog (${marked} of ${total})`);
    assert.ok((await topicSize(admin, topic)) >= marked, 'every marked row is in Kafka');

    const again = String(await freePort());
    await start('outbox-relay', { ...env, HEALTH_PORT: again }, again);
    await waitFor(async () => (await count(db('outbox').whereNull('published_at'))) === 0, {
      timeoutMs: 120_000,
      what: 'the whole backlog published',
    });
    assert.ok((await topicSize(admin, topic)) >= total);
  });
});
