import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Wakeup } from '../src/wakeup.js';

describe('relay wake-up', () => {
  it('a notify that comes before the wait is not lost', async () => {
    const wakeup = new Wakeup();
    wakeup.notify();
    const started = Date.now();
    await wakeup.wait(60_000);
    assert.ok(Date.now() - started < 1000);
  });

  it('a notify ends a wait in progress', async () => {
    const wakeup = new Wakeup();
    const waiting = wakeup.wait(60_000);
    wakeup.notify();
    await waiting;
  });

  it('a wait without notify ends after its time', async () => {
    await new Wakeup().wait(10);
  });
});
