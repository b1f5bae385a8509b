import type { Knex } from '@orderflow/platform';
import { EventHeaders, type DomainEvent } from '@orderflow/contracts';
import { OUTBOX_CHANNEL, OUTBOX_TABLE } from './schema.js';

/** Options of appendToOutbox. */
export interface AppendOptions {
  topic: string;
  /** Kafka key: the aggregate id, so one aggregate's events keep their order. */
  key: string;
  /**
   * Send a payload-free NOTIFY so a waiting relay wakes at once (default true). NOTIFY
   * takes a global lock at commit; without it the relay finds the row at its next poll.
   */
  notify?: boolean;
}

/**
 * Adds an event to the outbox inside the caller's transaction: it is published if and
 * only if that transaction commits. Call it once per transaction.
 */
export async function appendToOutbox(trx: Knex.Transaction, event: DomainEvent, options: AppendOptions) {
  const headers = {
    [EventHeaders.eventId]: event.eventId,
    [EventHeaders.eventType]: event.eventType,
    [EventHeaders.correlationId]: event.correlationId,
  };
  await trx(OUTBOX_TABLE).insert({
    event_id: event.eventId,
    topic: options.topic,
    message_key: options.key,
    payload: JSON.stringify(event),
    headers,
  });
  if (options.notify ?? true) await trx.raw(`notify ${OUTBOX_CHANNEL}`);
}
