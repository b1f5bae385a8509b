import { parseEvent, type OrderPlacedEvent } from '@orderflow/contracts';
import type { BatchHandler, InboundMessage, MessageHandler } from '@orderflow/messaging';
import type { Knex, Logger } from '@orderflow/platform';
import type { AppliedHook } from './metrics.js';
import { applyOrderPlacedBatch, type ApplyOutcome } from './reservations.js';

/**
 * The handlers of the orders topic: parse against the contract, then apply once. The
 * batch handler applies a run of events in one transaction; any event that breaks the
 * contract fails the run, and the runner then feeds its events to the single handler.
 */
export function orderEventsHandlers(db: Knex, logger: Logger, onApplied: AppliedHook) {
  const report = (message: InboundMessage, event: OrderPlacedEvent, outcome: ApplyOutcome) => {
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

  const apply = async (messages: InboundMessage[]) => {
    const events = messages.map((message) => parseEvent(message.value));
    const outcomes = await applyOrderPlacedBatch(db, events);
    messages.forEach((message, i) => report(message, events[i]!, outcomes[i]!));
  };

  const single: MessageHandler = (message) => apply([message]);
  const batch: BatchHandler = apply;
  return { single, batch };
}
