/**
 * POST /orders load from autocannon, in this process: a fixed number of keep-alive
 * connections, for a fixed time, optionally capped at an overall request rate.
 */
import autocannon from 'autocannon';
import { BenchError, BenchErrorCodes } from './errors.js';

/** Options of postOrders. */
export interface HttpLoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset means as fast as answered. */
  overallRate?: number;
}

/** What one load run measured. */
export interface HttpLoadResult {
  /** 2xx responses. */
  ok: number;
  /** 2xx responses per second. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** The equivalent autocannon command line. */
  command: string;
}

/** Two lines per order: a realistic body, and two stock rows touched downstream. */
const ORDER_BODY = JSON.stringify({
  customerId: 'c-bench',
  items: [
    { sku: 'SKU-1', quantity: 1 },
    { sku: 'SKU-2', quantity: 2 },
  ],
});

/** Runs the load; any non-2xx response or socket error fails the run. */
export async function postOrders(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const result = await autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: ORDER_BODY,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
  });
  const failed = result.non2xx + result.errors;
  if (failed > 0) {
    throw new BenchError(
      BenchErrorCodes.load,
      `POST ${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors (${result.timeouts} timeouts)`,
    );
  }
  const rate = options.overallRate ? ` -R ${options.overallRate}` : '';
  return {
    ok: result['2xx'],
    perSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    command: `autocannon -m POST -c ${options.connections} -d ${options.seconds}${rate} ${options.url}`,
  };
}
