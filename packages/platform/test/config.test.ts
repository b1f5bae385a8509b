import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { ConfigError, Env, loadConfig } from '../src/index.js';

const Schema = Type.Object({
  PORT: Env.port(3000, 'port'),
  RETRY_MS: Env.durationMs(100, 'delay'),
  NOTIFY: Env.boolean(true, 'notify'),
  LOG_LEVEL: Env.logLevel(),
});

describe('configuration', () => {
  it('fills defaults for variables that are not set', () => {
    assert.deepEqual(loadConfig(Schema, {}), { PORT: 3000, RETRY_MS: 100, NOTIFY: true, LOG_LEVEL: 'info' });
  });

  it('converts the strings of set variables', () => {
    const config = loadConfig(Schema, { PORT: '8080', RETRY_MS: '0', NOTIFY: 'false', LOG_LEVEL: 'debug' });
    assert.deepEqual(config, { PORT: 8080, RETRY_MS: 0, NOTIFY: false, LOG_LEVEL: 'debug' });
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['RETRY_MS', '-5'],
    ['NOTIFY', 'perhaps'],
    ['LOG_LEVEL', 'loud'],
  ] as const) {
    it(`stops on ${name}=${value} with a message naming the variable and the value`, () => {
      assert.throws(
        () => loadConfig(Schema, { [name]: value }),
        (err: unknown) =>
          err instanceof ConfigError && err.message.includes(name) && err.message.includes(`"${value}"`),
      );
    });
  }
});
