import pg from 'pg';
import type { Logger } from '@orderflow/platform';

/** Options of listenForNotifications. */
export interface ListenerOptions {
  url: string;
  channel: string;
  onNotify: () => void;
  logger: Logger;
  /** Wait before reconnecting after the connection drops, in ms. */
  reconnectDelayMs?: number;
}

/**
 * Keeps one connection LISTENing on a channel and calls onNotify for each notification,
 * reconnecting when the connection drops. Notifications only speed things up: the caller
 * must also poll, since any sent while disconnected are gone.
 */
export function listenForNotifications(options: ListenerOptions): { close(): Promise<void> } {
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async () => {
    const next = new pg.Client({ connectionString: options.url });
    next.on('notification', () => options.onNotify());
    next.on('error', (err) => {
      options.logger.warn({ err }, 'notification connection lost');
      scheduleReconnect(next);
    });
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(options.channel)}`);
      client = next;
      if (closed) await next.end();
      // Rows may have been added while nobody listened.
      options.onNotify();
    } catch (err) {
      options.logger.warn({ err }, 'could not listen for notifications');
      scheduleReconnect(next);
    }
  };

  const scheduleReconnect = (broken: pg.Client) => {
    broken.end().catch(() => undefined);
    if (client === broken) client = undefined;
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void connect();
    }, options.reconnectDelayMs ?? 1000);
  };

  void connect();

  return {
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      await client?.end();
    },
  };
}
