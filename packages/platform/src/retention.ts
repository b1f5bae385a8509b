import type { Knex } from 'knex';
import type { Logger } from './logger.js';

/** Options of startRetention. */
export interface RetentionOptions {
  db: Knex;
  logger: Logger;
  table: string;
  /** Rows whose timestamp in this column is older than `keepMs` are deleted; NULLs stay. */
  timeColumn: string;
  /** How long rows are kept, in ms. */
  keepMs: number;
  /** Rows deleted per statement, so no transaction grows long (default 1000). */
  batchSize?: number;
  /** Time between two sweeps, in ms (default 60,000). */
  intervalMs?: number;
}

/** A periodic sweep of old rows. */
export interface Retention {
  /** Deletes every row past its time now, batch by batch; resolves to the number deleted. */
  sweep(): Promise<number>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/**
 * Deletes rows older than a retention period, in bounded batches on a timer. Each batch is
 * its own short statement, so inserts never wait behind a long delete.
 */
export function startRetention(options: RetentionOptions): Retention {
  const { db, table, timeColumn } = options;
  const batchSize = options.batchSize ?? 1000;
  const log = options.logger.child({ component: 'retention', table });
  let running: Promise<number> | undefined;

  const sweep = async (): Promise<number> => {
    let deleted = 0;
    for (;;) {
      const result = await db.raw(
        `delete from ?? where ctid in (
           select ctid from ?? where ?? < now() - make_interval(secs => ?) limit ?
         )`,
        [table, table, timeColumn, options.keepMs / 1000, batchSize],
      );
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) break;
    }
    if (deleted > 0) log.info({ deleted }, 'old rows deleted');
    return deleted;
  };

  const timer = setInterval(() => {
    if (running) return;
    running = sweep()
      .catch((err: unknown) => {
        log.warn({ err }, 'retention sweep failed, will try again');
        return 0;
      })
      .finally(() => (running = undefined));
  }, options.intervalMs ?? 60_000);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
