/**
 * The inventory service as a process, killed or stopped in the middle of a backlog: after
 * a restart every event is applied exactly once and none is skipped.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin, Producer } from 'kafkajs';
import { orderPlaced, topicsFor } from '@orderflow/contracts';
import { createKafka, createProducer, ensureTopics } from '@orderflow/messaging';
import type { Knex } from '@orderflow/platform';
import {
  dropDatabase,
  spawnService,
  testLogger,
  testServers,
  uniqueDatabaseUrl,
  uniqueName,
  waitFor,
  waitForGroupCaughtUp,
  type ServiceProcess,
} from '@orderflow/testing';
import { freePort } from '../../../infra/kafka/broker.js';
import { openInventoryDatabase } from '../src/database.js';
import { setAvailable } from '../src/stock.js';

const EVENTS = 1500;

describe('inventory service stopped in the middle of a backlog', () => {
  let admin: Admin;
  let producer: Producer;
  const running: ServiceProcess[] = [];
  const databases: string[] = [];

  before(async () => {
    const kafka = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'crash-test', logger: testLogger() });
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();
  });
  after(async () => {
    for (const service of running) service.child.kill('SIGKILL');
    await producer.disconnect();
    await admin.disconnect();
    for (const url of databases) await dropDatabase(url);
  });

  /** A fresh topic holding EVENTS orders of one unit each of SKU-X, and a service env for it. */
  async function backlog() {
    const topic = uniqueName('orders');
    const topics = topicsFor(topic);
    await ensureTopics(admin, [topics.main, topics.retry, topics.deadLetter].map((t) => ({ topic: t, numPartitions: 6 })));
    for (let start = 0; start < EVENTS; start += 500) {
      const messages = Array.from({ length: Math.min(500, EVENTS - start) }, () => {
        const event = orderPlaced({ orderId: randomUUID(), customerId: 'c', items: [{ sku: 'SKU-X', quantity: 1 }] }, 'crash');
        return { key: event.data.orderId, value: JSON.stringify(event), headers: { eventId: event.eventId } };
      });
      await producer.send({ topic, acks: -1, messages });
    }
    const url = uniqueDatabaseUrl('crash');
    databases.push(url);
    const env = {
      KAFKA_BROKERS: testServers().kafkaBrokers,
      DATABASE_URL: url,
      ORDERS_TOPIC: topic,
      CONSUMER_GROUP_ID: uniqueName('inventory'),
      PORT: String(await freePort()),
    };
    return { topic, env };
  }

  /** Starts the service and waits until it listens. */
  async function start(env: Record<string, string>) {
    const service = spawnService('inventory-service', env);
    running.push(service);
    await waitFor(
      async () => {
        if (service.child.exitCode !== null) throw new Error(service.output.join(''));
        return (await fetch(`http://127.0.0.1:${env.PORT}/health/live`)).ok;
      },
      { timeoutMs: 60_000, what: 'the inventory service to listen' },
    );
    return service;
  }

  async function appliedCount(db: Knex) {
    return Number((await db('processed_events').count({ n: '*' }))[0]!.n);
  }

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`${signal} mid-batch, then a restart: every event is applied once, none skipped`, async () => {
      const { topic, env } = await backlog();
      const db = await openInventoryDatabase(env.DATABASE_URL, testLogger());
      try {
        await setAvailable(db, 'SKU-X', EVENTS * 2);
        const first = await start(env);
        await waitFor(async () => (await appliedCount(db)) >= 100, { timeoutMs: 60_000, what: '100 events applied' });
        first.child.kill(signal);
        const code = await first.exit;
        if (signal === 'SIGTERM') assert.equal(code, 0, first.output.join(''));
        const appliedAtStop = await appliedCount(db);
        assert.ok(appliedAtStop < EVENTS, `stopped mid-backlog (${appliedAtStop} of ${EVENTS} applied)`);

        await start(env);
        await waitFor(async () => (await appliedCount(db)) === EVENTS, { timeoutMs: 90_000, what: 'every event' });
        await waitForGroupCaughtUp(admin, env.CONSUMER_GROUP_ID, [topic]);
        const reserved = await db('reservations').where({ status: 'RESERVED' }).count({ n: '*' });
        assert.equal(Number(reserved[0]!.n), EVENTS);
        const stock = await db('stock').where({ sku: 'SKU-X' }).first();
        assert.deepEqual([stock.available, stock.reserved], [EVENTS, EVENTS], 'each order reserved exactly once');
      } finally {
        await db.destroy();
      }
    });
  }
});
