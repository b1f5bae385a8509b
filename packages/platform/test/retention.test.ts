import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dropDatabase, testLogger, uniqueDatabaseUrl } from '@orderflow/testing';
import { createDatabase, ensureDatabase, startRetention, type Knex } from '../src/index.js';

describe('retention on a real Postgres', () => {
  const url = uniqueDatabaseUrl('retention');
  let db: Knex;

  before(async () => {
    await ensureDatabase(url);
    db = createDatabase({ url });
    await db.raw('create table events (id serial primary key, done_at timestamptz)');
  });
  after(async () => {
    await db.destroy();
    await dropDatabase(url);
  });

  it('deletes rows past their time in bounded batches, and keeps recent and unfinished ones', async () => {
    await db.raw(`insert into events (done_at) select now() - interval '2 days' from generate_series(1, 7)`);
    await db.raw(`insert into events (done_at) values (now() - interval '1 hour'), (null)`);
    const retention = startRetention({
      db,
      logger: testLogger(),
      table: 'events',
      timeColumn: 'done_at',
      keepMs: 24 * 3600 * 1000,
      batchSize: 3,
      intervalMs: 3_600_000,
    });

    assert.equal(await retention.sweep(), 7);
    await retention.stop();

    const left = await db('events').select('done_at');
    assert.equal(left.length, 2);
    assert.ok(left.some((row) => row.done_at === null));
  });
});
