import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { orderPlaced } from '@orderflow/contracts';
import { createKafka, createProducer, ensureTopics } from '@orderflow/messaging';
import { createDatabase, ensureDatabase, migrate, type Knex } from '@orderflow/platform';
import { dropDatabase, readMessages, testLogger, testServers, uniqueDatabaseUrl, uniqueName, waitFor } from '@orderflow/testing';
import {
  appendToOutbox,
  createRelay,
  OUTBOX_MIGRATIONS_TABLE,
  outboxMigrations,
  type Relay,
  type RelayOptions,
} from '../src/index.js';

describe('outbox relay on a real Postgres and Kafka', () => {
  const url = uniqueDatabaseUrl('relay');
  let db: Knex;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const relays: Relay[] = [];

  before(async () => {
    await ensureDatabase(url);
    db = createDatabase({ url });
    await migrate(db, outboxMigrations, OUTBOX_MIGRATIONS_TABLE);
    kafka = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'relay-test', logger: testLogger() });
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();
  });
  after(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await producer.disconnect();
    await admin.disconnect();
    await db.destroy();
    await dropDatabase(url);
  });

  async function freshTopic() {
    // Relays of earlier tests would race this test's relay for its rows.
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const topic = uniqueName('relay');
    await ensureTopics(admin, [{ topic, numPartitions: 1 }]);
    // Rows of earlier tests are published by then; start each test from an empty outbox.
    await db('outbox').del();
    return topic;
  }

  function relay(options: Partial<RelayOptions> = {}) {
    const created = createRelay({ db, producer, logger: testLogger(), listenUrl: url, ...options });
    relays.push(created);
    return created;
  }

  const append = (trx: Knex.Transaction, topic: string, key: string = randomUUID(), customerId = 'c') =>
    appendToOutbox(
      trx,
      orderPlaced({ orderId: randomUUID(), customerId, items: [{ sku: 'A', quantity: 1 }] }, 'corr'),
      { topic, key },
    );

  it('publishes each committed row once, with its key, value and headers, then marks it', async () => {
    const topic = await freshTopic();
    for (let i = 0; i < 5; i++) await db.transaction((trx) => append(trx, topic));

    assert.equal(await relay().relayOnce(), 5);

    const messages = await readMessages(kafka, topic, 5);
    const rows = await db('outbox').orderBy('id');
    assert.equal(messages.length, 5);
    assert.deepEqual(
      messages.map((m) => m.key?.toString()),
      rows.map((r) => r.message_key),
    );
    const first = JSON.parse(messages[0]!.value!.toString());
    assert.deepEqual(first, rows[0].payload);
    assert.equal(messages[0]!.headers?.eventId?.toString(), first.eventId);
    assert.equal(messages[0]!.headers?.eventType?.toString(), 'OrderPlaced');
    assert.ok(rows.every((r) => r.published_at !== null));
  });

  it('publishes rows committed out of id order', async () => {
    const topic = await freshTopic();
    const oneRelay = relay();
    const late = await db.transaction();
    await append(late, topic, 'late-key');
    await db.transaction((trx) => append(trx, topic, 'early-key'));

    assert.equal(await oneRelay.relayOnce(), 1);
    await late.commit();
    assert.equal(await oneRelay.relayOnce(), 1);

    const messages = await readMessages(kafka, topic, 2);
    assert.deepEqual(messages.map((m) => m.key?.toString()), ['early-key', 'late-key']);
  });

  it('wakes on NOTIFY long before its fallback poll', async () => {
    const topic = await freshTopic();
    relay({ pollIntervalMs: 120_000 }).start();
    await waitFor(async () => (await db('outbox').count({ n: '*' }))[0]!.n === '0');

    await db.transaction((trx) => append(trx, topic, 'woken'));

    const [message] = await readMessages(kafka, topic, 1, 15_000);
    assert.equal(message!.key?.toString(), 'woken');
  });

  it('leaves a batch unpublished when Kafka does not acknowledge it', async () => {
    const topic = await freshTopic();
    const lonely = createProducer(kafka);
    const oneRelay = createRelay({ db, producer: lonely, logger: testLogger(), listenUrl: url });
    await db.transaction((trx) => append(trx, topic));

    await assert.rejects(oneRelay.relayOnce());
    assert.equal((await db('outbox').whereNull('published_at')).length, 1);

    await lonely.connect();
    assert.equal(await oneRelay.relayOnce(), 1);
    await lonely.disconnect();
  });

  it('two relays running at once keep each key in order', async () => {
    const topic = await freshTopic();
    const keys = ['k1', 'k2', 'k3', 'k4'];
    relay({ batchSize: 3, pollIntervalMs: 50 }).start();
    relay({ batchSize: 3, pollIntervalMs: 50 }).start();

    for (let seq = 0; seq < 15; seq++) {
      await db.transaction(async (trx) => {
        for (const key of keys) await append(trx, topic, key, `seq-${seq}`);
      });
    }

    const messages = await readMessages(kafka, topic, 60);
    for (const key of keys) {
      const sequence = messages
        .filter((m) => m.key?.toString() === key)
        .map((m) => Number(JSON.parse(m.value!.toString()).data.customerId.slice(4)));
      assert.deepEqual(sequence, [...Array(15).keys()], `order of ${key}`);
    }
  });
});
