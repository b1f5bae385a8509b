import { Counter, Gauge, Histogram, LATENCY_BUCKETS, type Knex, type Registry } from '@orderflow/platform';
import { OUTBOX_TABLE } from './schema.js';

/**
 * Relay metrics: rows published, batch sizes and publish durations, and, read from the
 * table at each scrape, the rows waiting and the age of the oldest one (the relay's lag).
 * Returns the callback to pass as the relay's onBatch.
 */
export function registerOutboxMetrics(registry: Registry, db: Knex) {
  const published = new Counter({
    name: 'outbox_rows_published_total',
    help: 'Outbox rows published to Kafka',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'outbox_batch_size',
    help: 'Rows per published batch',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    registers: [registry],
  });
  const publishDuration = new Histogram({
    name: 'outbox_publish_duration_seconds',
    help: 'Time to claim, publish and mark one batch',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });

  // One query serves both gauges of a scrape.
  let pending: Promise<{ rows: number; ageSeconds: number }> | undefined;
  const readBacklog = () => {
    pending ??= db
      .raw(
        `select count(*)::int as rows,
                coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as age
           from ${OUTBOX_TABLE} where published_at is null`,
      )
      .then((result) => ({ rows: result.rows[0].rows, ageSeconds: result.rows[0].age }))
      .finally(() => setImmediate(() => (pending = undefined)));
    return pending;
  };
  new Gauge({
    name: 'outbox_pending_rows',
    help: 'Outbox rows not yet published',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).rows);
    },
  });
  new Gauge({
    name: 'outbox_oldest_unpublished_age_seconds',
    help: 'Age of the oldest unpublished outbox row (0 when none)',
    registers: [registry],
    async collect() {
      this.set((await readBacklog()).ageSeconds);
    },
  });

  return (rows: number, durationMs: number) => {
    published.inc(rows);
    batchSize.observe(rows);
    publishDuration.observe(durationMs / 1000);
  };
}
