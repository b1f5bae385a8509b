import { ConfigError } from './errors.js';
import type { Logger } from './logger.js';

/** Something to close on shutdown, in the order given. */
export interface Closer {
  name: string;
  close(): Promise<unknown>;
}

/**
 * On SIGTERM or SIGINT, closes each part in order and exits 0; exits 1 when a close
 * fails or the grace period runs out. A second signal exits at once.
 */
export function closeOnSignals(logger: Logger, graceMs: number, closers: Closer[]): void {
  let closing = false;

  const shutdown = async (signal: NodeJS.Signals) => {
    if (closing) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, graceMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ graceMs }, 'grace period over, exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();

    let code = 0;
    for (const closer of closers) {
      try {
        await closer.close();
      } catch (err) {
        code = 1;
        logger.error({ err, part: closer.name }, 'close failed');
      }
    }
    logger.info('stopped');
    process.exit(code);
  };

  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** Reports a start-up error and exits 1: a bad configuration as one plain line. */
export function exitOnStartError(logger: Logger, err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    const message = err instanceof Error ? err.message : String(err);
    logger.fatal({ err }, `start failed: ${message}`);
  }
  process.exit(1);
}
