import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContractError, ContractErrorCodes } from '@orderflow/contracts';
import { classifyFailure } from '../src/index.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('failure classification', () => {
  const cases: [string, unknown, string][] = [
    ['a contract violation', new ContractError(ContractErrorCodes.notJson, 'x'), 'permanent'],
    ['a programming error', new TypeError('x is undefined'), 'permanent'],
    ['a Postgres deadlock', withCode('40P01'), 'transient'],
    ['a serialization failure', withCode('40001'), 'transient'],
    ['a statement timeout', withCode('57014'), 'transient'],
    ['invalid input for a column (SQLSTATE 22P02)', withCode('22P02'), 'permanent'],
    ['a check constraint violation (SQLSTATE 23514)', withCode('23514'), 'permanent'],
    ['a refused connection', withCode('ECONNREFUSED'), 'unavailable'],
    ['a server shutting down', withCode('57P01'), 'unavailable'],
    ['a connection exception class 08', withCode('08006'), 'unavailable'],
    ['a pool that cannot hand out a connection', Object.assign(new Error('x'), { name: 'KnexTimeoutError' }), 'unavailable'],
    ['an error marked retriable', Object.assign(new Error('x'), { retriable: true }), 'transient'],
    ['an unknown error', new Error('who knows'), 'transient'],
  ];
  for (const [name, err, kind] of cases) {
    it(`treats ${name} as ${kind}`, () => assert.equal(classifyFailure(err), kind));
  }
});
