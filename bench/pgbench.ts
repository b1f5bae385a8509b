/**
 * The ceiling of POST /orders: pgbench running the order service's transaction (order,
 * two items, one outbox row, optionally NOTIFY) with as many clients as the HTTP run has
 * connections, over the extended protocol as node-postgres does. No HTTP, no JSON, no
 * pool: what Postgres itself can commit on this machine.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchError, BenchErrorCodes } from './errors.js';
import { percentile } from './stats.js';

/** Options of runPgbench. */
export interface PgbenchOptions {
  /** URL of the database holding the orders schema. */
  url: string;
  clients: number;
  seconds: number;
  notify: boolean;
  /** Folder for the script and per-transaction logs (removed afterwards). */
  workDir: string;
  /** The order service's outbox topic, written into each row. */
  topic: string;
}

/** What one pgbench run measured. */
export interface PgbenchResult {
  transactions: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  command: string;
}

// The order id, event id and correlation id are derived from a per-transaction random
// number, so each statement names the same order without an extra round trip.
const ORDER_ID = `md5(:client_id::text || '-' || :r::text)::uuid`;
const EVENT_ID = `md5('e' || :client_id::text || '-' || :r::text)::uuid`;

/** The transaction placeOrder runs, statement for statement. */
function orderTransactionScript(topic: string, notify: boolean): string {
  const payload =
    `'{"eventId":"' || ${EVENT_ID} || '","eventType":"OrderPlaced","schemaVersion":1,` +
    `"occurredAt":"2026-01-01T10:00:00.000Z","correlationId":"' || ${EVENT_ID} || '",` +
    `"data":{"orderId":"' || ${ORDER_ID} || '","customerId":"c-bench","items":` +
    `[{"sku":"SKU-1","quantity":1},{"sku":"SKU-2","quantity":2}]}}'`;
  return [
    '\\set r random(1, 9000000000000000000)',
    'BEGIN;',
    `INSERT INTO orders (id, customer_id, status, correlation_id, created_at) ` +
      `VALUES (${ORDER_ID}, 'c-bench', 'PENDING', ${EVENT_ID}::text, now());`,
    `INSERT INTO order_items (line, order_id, quantity, sku) ` +
      `VALUES (0, ${ORDER_ID}, 1, 'SKU-1'), (1, ${ORDER_ID}, 2, 'SKU-2');`,
    `INSERT INTO outbox (event_id, headers, message_key, payload, topic) ` +
      `VALUES (${EVENT_ID}, jsonb_build_object('eventId', ${EVENT_ID}, 'eventType', 'OrderPlaced', ` +
      `'correlationId', ${EVENT_ID}), ${ORDER_ID}::text, (${payload})::json, '${topic}');`,
    ...(notify ? ['NOTIFY outbox_rows;'] : []),
    'COMMIT;',
    '',
  ].join('\n');
}

/** Runs pgbench and reads every transaction's latency from its log. */
export async function runPgbench(options: PgbenchOptions): Promise<PgbenchResult> {
  const dir = mkdtempSync(join(options.workDir, 'pgbench-'));
  try {
    const script = join(dir, 'order.sql');
    writeFileSync(script, orderTransactionScript(options.topic, options.notify));
    const url = new URL(options.url);
    const args = [
      '-n',
      '-M',
      'extended',
      '-f',
      script,
      '-c',
      String(options.clients),
      '-j',
      String(Math.min(options.clients, 2)),
      '-T',
      String(options.seconds),
      '-l',
      `--log-prefix=${join(dir, 'tx')}`,
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      decodeURIComponent(url.pathname.slice(1)),
    ];
    const stdout = await run('pgbench', args, url.password);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1];
    if (tps === undefined)
      throw new BenchError(BenchErrorCodes.pgbench, `pgbench printed no tps:\n${stdout}`);

    const latencies = readLatencies(dir).sort((a, b) => a - b);
    const notify = options.notify ? ' (with NOTIFY)' : '';
    return {
      transactions: latencies.length,
      perSecond: Number(tps),
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      command:
        `pgbench -n -M extended -c ${options.clients} -j ${Math.min(options.clients, 2)} ` +
        `-T ${options.seconds} -f order.sql${notify}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Latency in ms of each logged transaction: the third field, in microseconds. */
function readLatencies(dir: string): number[] {
  return readdirSync(dir)
    .filter((name) => name.startsWith('tx.'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => Number(line.split(' ')[2]) / 1000);
}

function run(command: string, args: string[], password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = password
      ? { ...process.env, PGPASSWORD: decodeURIComponent(password) }
      : process.env;
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.stderr.on('data', (chunk) => (out += String(chunk)));
    child.once('error', (err) =>
      reject(new BenchError(BenchErrorCodes.pgbench, `cannot run ${command}`, { cause: err })),
    );
    child.once('exit', (code) => {
      if (code === 0) resolve(out);
      else
        reject(new BenchError(BenchErrorCodes.pgbench, `${command} exited with ${code}:\n${out}`));
    });
  });
}
