/**
 * The inventory consumer keeps running through the failures of what it depends on: its
 * database connections killed, and the Kafka broker restarted.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { orderPlaced, type OrderPlacedEvent } from '@orderflow/contracts';
import { createKafka, createProducer, DEFAULT_RETRY_POLICY } from '@orderflow/messaging';
import type { Knex } from '@orderflow/platform';
import { dropDatabase, testLogger, testServers, uniqueDatabaseUrl, uniqueName, waitFor } from '@orderflow/testing';
import { freePort, startBroker } from '../../../infra/kafka/broker.js';
import { startInventoryConsumer } from '../src/consumer.js';
import { openInventoryDatabase } from '../src/database.js';
import { getStock, setAvailable } from '../src/stock.js';

const FAST_RETRIES = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 20 };

/** An inventory consumer on its own database and topic, against the given brokers. */
async function startInventory(brokers: string) {
  const url = uniqueDatabaseUrl('resilience');
  const topic = uniqueName('orders');
  const logger = testLogger();
  const db = await openInventoryDatabase(url, logger);
  const kafka = createKafka({ brokers, clientId: 'resilience-test', logger });
  const producer = createProducer(kafka);
  await producer.connect();
  const consumer = await startInventoryConsumer({
    db,
    kafka,
    producer,
    logger,
    topic,
    partitions: 1,
    groupId: uniqueName('inventory'),
    concurrency: 1,
    retry: FAST_RETRIES,
  });
  const send = async (event: OrderPlacedEvent) => {
    await producer.send({ topic, acks: -1, messages: [{ key: event.data.orderId, value: JSON.stringify(event) }] });
  };
  const placeOrder = (sku: string, quantity: number) => send(order(sku, quantity));
  const stop = async () => {
    await consumer.stop();
    await producer.disconnect();
    await db.destroy();
    await dropDatabase(url);
  };
  return { db, url, send, placeOrder, stop };
}

const order = (sku: string, quantity: number) =>
  orderPlaced({ orderId: randomUUID(), customerId: 'c', items: [{ sku, quantity }] }, 'resilience');

const availableIs = (db: Knex, sku: string, units: number, timeoutMs = 30_000) =>
  waitFor(async () => (await getStock(db, sku)).available === units, { timeoutMs, what: `${sku} at ${units}` });

describe('inventory consumer under failures', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps running when its database connections are killed, and applies the next orders', async () => {
    const inventory = await startInventory(testServers().kafkaBrokers);
    cleanups.push(inventory.stop);
    await setAvailable(inventory.db, 'DB-1', 10);
    await inventory.placeOrder('DB-1', 1);
    await availableIs(inventory.db, 'DB-1', 9);

    const admin = new pg.Client({ connectionString: testServers().postgresUrl });
    await admin.connect();
    const killed = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [new URL(inventory.url).pathname.slice(1)],
    );
    await admin.end();
    assert.ok(killed.rowCount! > 0, 'some connections were killed');

    await inventory.placeOrder('DB-1', 2);
    await availableIs(inventory.db, 'DB-1', 7);
  });

  it('rides out a broker restart and applies orders sent after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'restart-broker-'));
    const ports = { port: await freePort(), controllerPort: await freePort() };
    let broker = await startBroker({ dataDir, ...ports });
    cleanups.push(async () => {
      await broker.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const inventory = await startInventory(broker.brokers);
    cleanups.push(inventory.stop);
    await setAvailable(inventory.db, 'BR-1', 10);
    await inventory.placeOrder('BR-1', 1);
    await availableIs(inventory.db, 'BR-1', 9);

    await broker.stop();
    broker = await startBroker({ dataDir, ...ports });

    // Sending the same event again after a failed send is safe: it is applied once.
    const afterRestart = order('BR-1', 1);
    await waitFor(
      async () => {
        await inventory.send(afterRestart);
        return true;
      },
      { timeoutMs: 60_000, what: 'the restarted broker to take an order' },
    );
    await availableIs(inventory.db, 'BR-1', 8, 90_000);
  });
});
