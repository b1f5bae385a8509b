import type { OrderPlacedEvent } from '@orderflow/contracts';
import { Counter, Histogram, LATENCY_BUCKETS, type Registry } from '@orderflow/platform';
import type { ApplyOutcome } from './reservations.js';

/** Called after each event's transaction committed, with what it did. */
export type AppliedHook = (outcome: ApplyOutcome, event: OrderPlacedEvent) => void;

/**
 * Inventory metrics: events by outcome (reserved, rejected, duplicate) and the latency
 * from the order's commit (the event's occurredAt) to inventory's commit.
 */
export function registerInventoryMetrics(registry: Registry): AppliedHook {
  const events = new Counter({
    name: 'inventory_events_total',
    help: 'OrderPlaced events handled, by outcome; duplicate means skipped by the eventId guard',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'inventory_commit_to_applied_seconds',
    help: 'Time from the order commit (event occurredAt) to the inventory commit',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  return (outcome, event) => {
    events.inc({ outcome });
    if (outcome !== 'duplicate') latency.observe((Date.now() - Date.parse(event.occurredAt)) / 1000);
  };
}
