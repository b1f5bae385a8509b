import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { ContractError, ContractErrorCodes, orderPlaced, parseEvent } from '../src/index.js';

const data = { orderId: randomUUID(), customerId: 'c-1', items: [{ sku: 'SKU-1', quantity: 2 }] };

describe('event contract', () => {
  it('an OrderPlaced event survives a round trip through JSON', () => {
    const event = orderPlaced(data, 'corr-1');
    assert.deepEqual(parseEvent(Buffer.from(JSON.stringify(event))), event);
    assert.equal(event.schemaVersion, 1);
    assert.equal(event.correlationId, 'corr-1');
  });

  const broken: [string, Buffer | null, string][] = [
    ['a null value', null, ContractErrorCodes.noValue],
    ['a value that is not JSON', Buffer.from('{not json'), ContractErrorCodes.notJson],
    ['JSON null', Buffer.from('null'), ContractErrorCodes.unknownType],
    ['an unknown event type', Buffer.from('{"eventType":"OrderShipped"}'), ContractErrorCodes.unknownType],
    [
      'a quantity of zero',
      Buffer.from(JSON.stringify({ ...orderPlaced(data, 'c'), data: { ...data, items: [{ sku: 'A', quantity: 0 }] } })),
      ContractErrorCodes.invalid,
    ],
    [
      'a missing eventId',
      Buffer.from(JSON.stringify({ ...orderPlaced(data, 'c'), eventId: undefined })),
      ContractErrorCodes.invalid,
    ],
  ];
  for (const [name, value, code] of broken) {
    it(`reading ${name} throws a non-retriable ContractError (${code})`, () => {
      assert.throws(
        () => parseEvent(value),
        (err: unknown) => err instanceof ContractError && err.code === code && err.retriable === false,
      );
    });
  }

  it('writing an event that breaks the contract fails before it reaches the outbox', () => {
    assert.throws(() => orderPlaced({ ...data, items: [] }, 'c'), ContractError);
  });
});
