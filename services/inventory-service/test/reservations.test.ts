import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { orderPlaced, type OrderItem, type OrderPlacedEvent } from '@orderflow/contracts';
import type { Knex } from '@orderflow/platform';
import { dropDatabase, testLogger, uniqueDatabaseUrl } from '@orderflow/testing';
import { openInventoryDatabase } from '../src/database.js';
import { applyOrderPlacedBatch, getReservation } from '../src/reservations.js';
import { getStock, setAvailable } from '../src/stock.js';

describe('applying OrderPlaced events on a real Postgres', () => {
  const url = uniqueDatabaseUrl('reservations');
  let db: Knex;

  before(async () => {
    db = await openInventoryDatabase(url, testLogger());
  });
  after(async () => {
    await db.destroy();
    await dropDatabase(url);
  });

  const applyOrderPlaced = async (db: Knex, placed: OrderPlacedEvent) =>
    (await applyOrderPlacedBatch(db, [placed]))[0];
  const event = (items: OrderItem[]) => orderPlaced({ orderId: randomUUID(), customerId: 'c', items }, 'corr');

  it('reserves every item of an order that fits the stock', async () => {
    await setAvailable(db, 'R-1', 10);
    await setAvailable(db, 'R-2', 5);
    const placed = event([{ sku: 'R-1', quantity: 2 }, { sku: 'R-2', quantity: 5 }, { sku: 'R-1', quantity: 1 }]);

    assert.equal(await applyOrderPlaced(db, placed), 'reserved');
    assert.deepEqual(
      [await getStock(db, 'R-1'), await getStock(db, 'R-2')].map(({ available, reserved }) => [available, reserved]),
      [[7, 3], [0, 5]],
    );
    assert.equal((await getReservation(db, placed.data.orderId)).status, 'RESERVED');
  });

  it('rejects a whole order when one item lacks stock, changing nothing', async () => {
    await setAvailable(db, 'S-1', 10);
    await setAvailable(db, 'S-2', 1);
    const placed = event([{ sku: 'S-1', quantity: 1 }, { sku: 'S-2', quantity: 2 }]);

    assert.equal(await applyOrderPlaced(db, placed), 'rejected');
    assert.deepEqual([(await getStock(db, 'S-1')).available, (await getStock(db, 'S-2')).available], [10, 1]);
    const reservation = await getReservation(db, placed.data.orderId);
    assert.equal(reservation.status, 'REJECTED');
    assert.match(reservation.reason ?? '', /S-2 \(wanted 2, available 1\)/);
  });

  it('rejects an order for a SKU inventory has never stocked', async () => {
    assert.equal(await applyOrderPlaced(db, event([{ sku: 'NEVER-STOCKED', quantity: 1 }])), 'rejected');
  });

  it('a duplicate delivery changes nothing', async () => {
    await setAvailable(db, 'D-1', 10);
    const placed = event([{ sku: 'D-1', quantity: 4 }]);

    assert.equal(await applyOrderPlaced(db, placed), 'reserved');
    assert.equal(await applyOrderPlaced(db, placed), 'duplicate');
    assert.equal((await getStock(db, 'D-1')).available, 6);
  });

  it('the same event applied by many concurrent consumers changes stock once', async () => {
    await setAvailable(db, 'C-1', 100);
    const placed = event([{ sku: 'C-1', quantity: 7 }]);

    const outcomes = await Promise.all(Array.from({ length: 8 }, () => applyOrderPlaced(db, placed)));
    assert.deepEqual(outcomes.filter((o) => o === 'reserved').length, 1);
    assert.deepEqual(outcomes.filter((o) => o === 'duplicate').length, 7);
    assert.deepEqual((await getStock(db, 'C-1')).available, 93);
  });

  it('concurrent orders for a hot SKU never oversell it', async () => {
    await setAvailable(db, 'HOT', 10);
    const outcomes = await Promise.all(
      Array.from({ length: 15 }, () => applyOrderPlaced(db, event([{ sku: 'HOT', quantity: 1 }]))),
    );
    assert.equal(outcomes.filter((o) => o === 'reserved').length, 10);
    assert.deepEqual(await getStock(db, 'HOT').then((s) => [s.available, s.reserved]), [0, 10]);
  });

  it('a batch reserves in order until the stock runs out, and rejects the rest', async () => {
    await setAvailable(db, 'B-1', 5);
    const batch = Array.from({ length: 4 }, () => event([{ sku: 'B-1', quantity: 2 }]));

    assert.deepEqual(await applyOrderPlacedBatch(db, batch), ['reserved', 'reserved', 'rejected', 'rejected']);
    assert.deepEqual(await getStock(db, 'B-1').then((s) => [s.available, s.reserved]), [1, 4]);
  });

  it('a batch holding one event twice, or events applied before, applies each once', async () => {
    await setAvailable(db, 'B-2', 10);
    const first = event([{ sku: 'B-2', quantity: 1 }]);
    const second = event([{ sku: 'B-2', quantity: 2 }]);
    assert.deepEqual(await applyOrderPlacedBatch(db, [first, first]), ['reserved', 'duplicate']);

    assert.deepEqual(await applyOrderPlacedBatch(db, [first, second, second]), ['duplicate', 'reserved', 'duplicate']);
    assert.equal((await getStock(db, 'B-2')).available, 7);
  });
});
