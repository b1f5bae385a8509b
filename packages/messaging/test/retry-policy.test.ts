import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '../src/index.js';

describe('retry backoff', () => {
  it('doubles per attempt from 200 ms, plus at most 100 ms of jitter', () => {
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0), 200);
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 2, () => 0), 400);
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 5, () => 0), 3200);
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, () => 0.999), 300);
  });

  it('never waits longer than 30 s', () => {
    assert.equal(backoffDelayMs(DEFAULT_RETRY_POLICY, 20, () => 0.5), 30_000);
  });
});
