import { randomUUID } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ContractError, ContractErrorCodes } from './errors.js';

/** Kafka header names that repeat envelope fields so tools can route without parsing. */
export const EventHeaders = {
  eventId: 'eventId',
  eventType: 'eventType',
  correlationId: 'correlationId',
} as const;

// Whole code points only (a surrogate pair, or any character that is not a surrogate),
// and no control characters: Postgres refuses NUL, and a lone surrogate cannot be stored
// as UTF-8. The patterns hold with and without the regular expressions' `u` flag.
const CHARACTER = '(?:[\\ud800-\\udbff][\\udc00-\\udfff]|[^\\u0000-\\u001f\\u007f\\ud800-\\udfff])';
const VISIBLE = '(?:[\\ud800-\\udbff][\\udc00-\\udfff]|[^\\s\\u0000-\\u001f\\u007f\\ud800-\\udfff])';

/** A SKU: 1 to 64 characters, no spaces or control characters. */
export const Sku = Type.String({ minLength: 1, maxLength: 64, pattern: `^${VISIBLE}+$` });

/** Free text of 1 to 128 characters, not all blank, without control characters. */
export const Name = Type.String({ minLength: 1, maxLength: 128, pattern: `^(?=.*\\S)${CHARACTER}+$` });

/** One line of an order. */
export const OrderItem = Type.Object(
  {
    sku: Sku,
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type OrderItem = Static<typeof OrderItem>;

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

/** A UUID in its canonical text form. */
export const Uuid = Type.String({ pattern: UUID });

/** What an OrderPlaced event says. */
export const OrderPlacedData = Type.Object(
  {
    orderId: Uuid,
    customerId: Name,
    items: Type.Array(OrderItem, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type OrderPlacedData = Static<typeof OrderPlacedData>;

/** The envelope around every event, version 1. */
export const OrderPlacedEvent = Type.Object({
  eventId: Uuid,
  eventType: Type.Literal('OrderPlaced'),
  schemaVersion: Type.Literal(1),
  occurredAt: Type.String({ pattern: ISO_TIME }),
  correlationId: Type.String({ minLength: 1, maxLength: 128 }),
  data: OrderPlacedData,
});
export type OrderPlacedEvent = Static<typeof OrderPlacedEvent>;

/** Every event type this contract knows. */
export type DomainEvent = OrderPlacedEvent;

const orderPlacedCheck = TypeCompiler.Compile(OrderPlacedEvent);
const KNOWN_TYPES = new Set(['OrderPlaced']);

/** Builds an OrderPlaced event, checked against the contract before it is written. */
export function orderPlaced(data: OrderPlacedData, correlationId: string, now = new Date()) {
  const event: OrderPlacedEvent = {
    eventId: randomUUID(),
    eventType: 'OrderPlaced',
    schemaVersion: 1,
    occurredAt: now.toISOString(),
    correlationId,
    data,
  };
  assertValid(event);
  return event;
}

/** Reads a message value into an event, or throws a ContractError saying why it cannot. */
export function parseEvent(value: Buffer | string | null | undefined): DomainEvent {
  if (value === null || value === undefined) {
    throw new ContractError(ContractErrorCodes.noValue, 'message has no value');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString());
  } catch (err) {
    throw new ContractError(ContractErrorCodes.notJson, 'message value is not JSON', { cause: err });
  }
  const type = (parsed as { eventType?: unknown } | null)?.eventType;
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    throw new ContractError(ContractErrorCodes.unknownType, `unknown event type: ${String(type)}`);
  }
  assertValid(parsed);
  return parsed;
}

function assertValid(event: unknown): asserts event is OrderPlacedEvent {
  if (orderPlacedCheck.Check(event)) return;
  const first = orderPlacedCheck.Errors(event).First();
  const where = first?.path || '/';
  throw new ContractError(ContractErrorCodes.invalid, `event breaks the contract at ${where}: ${first?.message}`);
}
