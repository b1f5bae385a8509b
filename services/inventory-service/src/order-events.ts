import { parseEvent } from '@orderflow/contracts';
import type { MessageHandler } from '@orderflow/messaging';
import type { Knex, Logger } from '@orderflow/platform';
import type { AppliedHook } from './metrics.js';
import { applyOrderPlaced } from './reservations.js';

/** The handler of the orders topic: parse against the contract, then apply once. */
export function orderEventsHandler(db: Knex, logger: Logger, onApplied: AppliedHook): MessageHandler {
  return async (message) => {
    const event = parseEvent(message.value);
    const outcome = await applyOrderPlaced(db, event);
    onApplied(outcome, event);
    const fields = {
      eventId: event.eventId,
      eventType: event.eventType,
      correlationId: event.correlationId,
      orderId: event.data.orderId,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      attempt: message.attempt,
    };
    if (outcome === 'rejected') logger.info(fields, 'order rejected, not enough stock');
    else if (outcome === 'duplicate') logger.debug(fields, 'duplicate event skipped');
    else logger.debug(fields, 'stock reserved');
  };
}
