import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { Admin, Producer } from 'kafkajs';
import { orderPlaced, topicsFor, type OrderPlacedEvent } from '@orderflow/contracts';
import {
  createKafka,
  createProducer,
  DEFAULT_RETRY_POLICY,
  DeadLetterHeaders,
  type ConsumerRunner,
} from '@orderflow/messaging';
import type { Knex } from '@orderflow/platform';
import {
  dropDatabase,
  testLogger,
  testServers,
  uniqueDatabaseUrl,
  uniqueName,
  waitFor,
  waitForGroupCaughtUp,
} from '@orderflow/testing';
import { startInventoryConsumer } from '../src/consumer.js';
import { openInventoryDatabase } from '../src/database.js';
import { getStock, setAvailable } from '../src/stock.js';

const run = promisify(execFile);

describe('dead letters: pnpm dlq list and redrive', () => {
  const url = uniqueDatabaseUrl('dlq');
  const topic = uniqueName('orders');
  const topics = topicsFor(topic);
  const groupId = uniqueName('inventory');
  let db: Knex;
  let admin: Admin;
  let producer: Producer;
  let consumer: ConsumerRunner;

  before(async () => {
    const kafka = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'dlq-test', logger: testLogger() });
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();
    db = await openInventoryDatabase(url, testLogger());
    consumer = await startInventoryConsumer({
      db,
      kafka,
      producer,
      logger: testLogger(),
      topic,
      partitions: 2,
      groupId,
      concurrency: 2,
      retry: DEFAULT_RETRY_POLICY,
    });
  });
  after(async () => {
    await consumer.stop();
    await producer.disconnect();
    await admin.disconnect();
    await db.destroy();
    await dropDatabase(url);
  });

  const dlq = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'services/inventory-service/src/dlq-cli.ts', ...args], {
      env: { ...process.env, KAFKA_BROKERS: testServers().kafkaBrokers, ORDERS_TOPIC: topic },
    });

  /** Puts an event straight into the dead-letter topic, as a past outage would have. */
  async function deadLetter(event: OrderPlacedEvent, failedAt: string) {
    await producer.send({
      topic: topics.deadLetter,
      acks: -1,
      messages: [
        {
          key: event.data.orderId,
          value: JSON.stringify(event),
          headers: {
            eventId: event.eventId,
            eventType: event.eventType,
            [DeadLetterHeaders.errorMessage]: 'connection terminated',
            [DeadLetterHeaders.attempts]: '6',
            [DeadLetterHeaders.failedAt]: failedAt,
          },
        },
      ],
    });
  }

  const order = (sku: string, quantity: number) =>
    orderPlaced({ orderId: randomUUID(), customerId: 'c', items: [{ sku, quantity }] }, 'dlq-test');

  it('lists dead letters, and filters them by eventId and by time', async () => {
    const early = order('L-1', 1);
    const late = order('L-1', 1);
    await deadLetter(early, '2026-01-01T10:00:00.000Z');
    await deadLetter(late, '2026-06-01T10:00:00.000Z');
    await producer.send({ topic, acks: -1, messages: [{ key: 'poison', value: 'not json' }] });
    await waitFor(async () => (await dlq('list', '--json')).stdout.trim().split('\n').length === 3, {
      what: 'the poison message in the DLQ',
    });

    const byId = (await dlq('list', '--json', '--event-id', late.eventId)).stdout.trim().split('\n');
    assert.equal(byId.length, 1);
    assert.equal(JSON.parse(byId[0]!).eventId, late.eventId);

    const byTime = (await dlq('list', '--json', '--until', '2026-03-01')).stdout.trim().split('\n');
    assert.deepEqual(byTime.map((l) => JSON.parse(l).eventId), [early.eventId]);
  });

  it('redrives a chosen dead letter, which is then applied once', async () => {
    await setAvailable(db, 'R-1', 10);
    const chosen = order('R-1', 3);
    const other = order('R-1', 4);
    await deadLetter(chosen, new Date().toISOString());
    await deadLetter(other, new Date().toISOString());

    const { stderr } = await dlq('redrive', '--event-id', chosen.eventId);
    assert.match(stderr, /redrove 1 dead letter/);

    await waitFor(async () => (await getStock(db, 'R-1')).available === 7, { what: 'the redriven order applied' });
    await waitForGroupCaughtUp(admin, groupId, [topic]);
    assert.deepEqual(await getStock(db, 'R-1').then((s) => [s.available, s.reserved]), [7, 3]);
  });

  it('a redriven event that had been applied before changes nothing', async () => {
    await setAvailable(db, 'A-1', 10);
    const applied = order('A-1', 2);
    await producer.send({ topic, acks: -1, messages: [{ key: applied.data.orderId, value: JSON.stringify(applied) }] });
    await waitFor(async () => (await getStock(db, 'A-1')).available === 8, { what: 'the order applied' });
    await deadLetter(applied, new Date().toISOString());

    await dlq('redrive', '--event-id', applied.eventId);
    await dlq('redrive', '--event-id', applied.eventId);

    // The group's end offsets are read after both redrives, so catching up means both
    // copies have been handled.
    await waitForGroupCaughtUp(admin, groupId, [topic]);
    assert.deepEqual(await getStock(db, 'A-1').then((s) => [s.available, s.reserved]), [8, 2]);
    const records = await db('processed_events').where({ event_id: applied.eventId }).count({ n: '*' });
    assert.equal(Number(records[0]!.n), 1);
  });

  it('redrive without a filter or --all is refused and sends nothing', async () => {
    await assert.rejects(dlq('redrive'), (err: { code?: number; stderr?: string }) => {
      return err.code === 2 && /needs --event-id/.test(err.stderr ?? '');
    });
  });
});
