/**
 * The whole flow in one process per part: order service HTTP → outbox → relay → Kafka →
 * inventory consumer → inventory HTTP, on the real Postgres and the real broker, with
 * databases and topics of its own.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Admin, Producer } from 'kafkajs';
import { topicsFor } from '@orderflow/contracts';
import { createKafka, createProducer, DEFAULT_RETRY_POLICY, type ConsumerRunner } from '@orderflow/messaging';
import { createRelay, registerOutboxMetrics, type Relay } from '@orderflow/outbox';
import { createMetricsRegistry, type HttpApp, type Knex, type Registry } from '@orderflow/platform';
import {
  dropDatabase,
  testLogger,
  testServers,
  uniqueDatabaseUrl,
  uniqueName,
  waitFor,
  waitForGroupCaughtUp,
} from '@orderflow/testing';
import { buildApp as buildInventoryApp } from '../services/inventory-service/src/app.js';
import { startInventoryConsumer } from '../services/inventory-service/src/consumer.js';
import { openInventoryDatabase } from '../services/inventory-service/src/database.js';
import { buildApp as buildOrderApp } from '../services/order-service/src/app.js';
import { openOrdersDatabase } from '../services/order-service/src/database.js';

describe('an order placed over HTTP reaches inventory through Kafka', () => {
  const ordersUrl = uniqueDatabaseUrl('e2e_orders');
  const inventoryUrl = uniqueDatabaseUrl('e2e_inventory');
  const topic = uniqueName('orders');
  const groupId = uniqueName('inventory');
  const logger = testLogger();
  let ordersDb: Knex;
  let inventoryDb: Knex;
  let orders: HttpApp;
  let inventory: HttpApp;
  let admin: Admin;
  let producer: Producer;
  let relay: Relay;
  let consumer: ConsumerRunner;
  const metrics = {
    orders: createMetricsRegistry('order-service'),
    relay: createMetricsRegistry('outbox-relay'),
    inventory: createMetricsRegistry('inventory-service'),
  };

  before(async () => {
    const kafka = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'e2e', logger });
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();

    ordersDb = await openOrdersDatabase(ordersUrl, logger);
    inventoryDb = await openInventoryDatabase(inventoryUrl, logger);
    consumer = await startInventoryConsumer({
      db: inventoryDb,
      kafka,
      producer,
      logger,
      topic,
      partitions: 6,
      groupId,
      concurrency: 3,
      retry: DEFAULT_RETRY_POLICY,
      metrics: metrics.inventory,
    });
    const onBatch = registerOutboxMetrics(metrics.relay, ordersDb);
    relay = createRelay({ db: ordersDb, producer, logger, listenUrl: ordersUrl, onBatch });
    relay.start();
    orders = await buildOrderApp({ db: ordersDb, logger, topic, notify: true, metrics: metrics.orders });
    inventory = await buildInventoryApp({
      db: inventoryDb,
      logger,
      metrics: metrics.inventory,
      kafkaCheck: () => admin.describeCluster(),
    });
  });

  after(async () => {
    await relay.stop();
    await consumer.stop();
    await Promise.all([orders.close(), inventory.close()]);
    await producer.disconnect();
    await admin.disconnect();
    await Promise.all([ordersDb.destroy(), inventoryDb.destroy()]);
    await Promise.all([dropDatabase(ordersUrl), dropDatabase(inventoryUrl)]);
  });

  const setStock = (sku: string, available: number) =>
    inventory.inject({ method: 'PUT', url: `/inventory/${sku}`, payload: { available } });
  const stockOf = async (sku: string) => (await inventory.inject({ method: 'GET', url: `/inventory/${sku}` })).json();
  const placeOrder = async (sku: string, quantity: number) => {
    const response = await orders.inject({
      method: 'POST',
      url: '/orders',
      payload: { customerId: 'c-1', items: [{ sku, quantity }] },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().orderId as string;
  };
  const reservationOf = (orderId: string) =>
    waitFor(
      async () => {
        const response = await inventory.inject({ method: 'GET', url: `/reservations/${orderId}` });
        return response.statusCode === 200 ? response.json() : undefined;
      },
      { what: `inventory to handle order ${orderId}` },
    );

  it('reserves the stock an order asks for', async () => {
    assert.equal((await setStock('E2E-1', 10)).statusCode, 200);

    const orderId = await placeOrder('E2E-1', 2);

    assert.equal((await reservationOf(orderId)).status, 'RESERVED');
    const stock = await stockOf('E2E-1');
    assert.deepEqual([stock.available, stock.reserved], [8, 2]);
    const order = await orders.inject({ method: 'GET', url: `/orders/${orderId}` });
    assert.deepEqual(order.json().items, [{ sku: 'E2E-1', quantity: 2 }]);
  });

  it('records an order for more than the stock as rejected and changes nothing', async () => {
    await setStock('E2E-2', 10);

    const orderId = await placeOrder('E2E-2', 11);

    const reservation = await reservationOf(orderId);
    assert.equal(reservation.status, 'REJECTED');
    assert.deepEqual(await stockOf('E2E-2').then((s) => [s.available, s.reserved]), [10, 0]);
    const topics = topicsFor(topic);
    await waitForGroupCaughtUp(admin, groupId, [topics.main]);
    const dlq = await admin.fetchTopicOffsets(topics.deadLetter);
    assert.ok(dlq.every((p) => p.high === '0'), 'a business rejection is not dead-lettered');
  });

  it('a republished outbox row changes stock once', async () => {
    await setStock('E2E-3', 10);
    const orderId = await placeOrder('E2E-3', 3);
    await reservationOf(orderId);

    await ordersDb('outbox').where({ message_key: orderId }).update({ published_at: null });
    await ordersDb.raw('notify outbox_rows');
    await waitFor(async () => (await ordersDb('outbox').where({ message_key: orderId }).first()).published_at, {
      what: 'the row to be published again',
    });
    await waitForGroupCaughtUp(admin, groupId, [topic]);

    assert.deepEqual(await stockOf('E2E-3').then((s) => [s.available, s.reserved]), [7, 3]);
    const processed = await inventoryDb('processed_events').count({ n: '*' });
    assert.equal(Number(processed[0]!.n), 3);
  });

  it('readiness reports the database and Kafka reachable', async () => {
    const response = await inventory.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json().checks, { database: 'ok', kafka: 'ok' });
  });

  it('metrics show requests, the outbox backlog, applied events and commit-to-applied latency', async () => {
    await setStock('E2E-4', 5);
    await reservationOf(await placeOrder('E2E-4', 1));
    await waitForGroupCaughtUp(admin, groupId, [topic]);

    const scrape = async (registry: Registry) => {
      const text = await registry.metrics();
      const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? Number.NaN);
      return { text, value };
    };
    const orderMetrics = await orders.inject({ method: 'GET', url: '/metrics' });
    assert.equal(orderMetrics.statusCode, 200);
    assert.match(orderMetrics.body, /http_request_duration_seconds_count\{[^}]*route="\/orders"[^}]*status_code="201"/);

    const relayMetrics = await scrape(metrics.relay);
    assert.ok(relayMetrics.value(/^outbox_rows_published_total\{[^}]*\} (\d+)/m) >= 1);
    assert.equal(relayMetrics.value(/^outbox_pending_rows\{[^}]*\} (\d+)/m), 0);
    assert.equal(relayMetrics.value(/^outbox_oldest_unpublished_age_seconds\{[^}]*\} ([\d.]+)/m), 0);

    const inventoryMetrics = await scrape(metrics.inventory);
    assert.ok(inventoryMetrics.value(/^inventory_events_total\{outcome="reserved"[^}]*\} (\d+)/m) >= 1);
    assert.ok(inventoryMetrics.value(/^inventory_commit_to_applied_seconds_count\{[^}]*\} (\d+)/m) >= 1);
    assert.equal(inventoryMetrics.value(/^consumer_lag_messages\{topic="[^"]*orders_[^.]*"[^}]*\} (\d+)/m), 0);

    for (const text of [orderMetrics.body, relayMetrics.text, inventoryMetrics.text]) {
      const promtool = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      if (promtool.error) return; // promtool is not installed here; .ci/run installs it
      assert.equal(promtool.status, 0, promtool.stdout + promtool.stderr);
    }
  });
});
