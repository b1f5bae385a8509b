/**
 * `pnpm test:compose`: proves docker-compose.yml. Builds and starts the whole stack,
 * sets a SKU's stock through the inventory service, places an order through the order
 * service, waits until inventory has reserved it, and takes the stack down with its
 * volumes, also when a step fails (then the services' logs are printed first).
 *
 * Uses `docker compose` (v2) when present, else `docker-compose` (1.29). The host
 * ports are ORDER_PORT and INVENTORY_PORT when set, free ones otherwise. Not part of
 * `pnpm test`: it needs a Docker engine and the images the compose file names.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../kafka/broker.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROJECT = process.env.COMPOSE_TEST_PROJECT ?? 'orderflow-compose-test';
const UP_TIMEOUT_MS = 15 * 60_000;
const READY_TIMEOUT_MS = 3 * 60_000;
const EFFECT_TIMEOUT_MS = 60_000;

function say(line: string) {
  process.stdout.write(`[test:compose] ${line}\n`);
}

/** The compose command of this machine: the v2 plugin, else the 1.x standalone. */
function composeCommand(): string[] {
  const works = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (works('docker', ['compose', 'version'])) return ['docker', 'compose'];
  if (works('docker-compose', ['version'])) return ['docker-compose'];
  throw new Error('neither `docker compose` nor `docker-compose` is installed');
}

/** Runs compose with the given arguments, output inherited; resolves with its exit code. */
function compose(command: string[], args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000) {
  const [cmd = 'docker', ...pre] = command;
  const child = spawn(cmd, [...pre, '-p', PROJECT, ...args], { cwd: root, env, stdio: 'inherit' });
  return new Promise<number>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? 1);
    });
  });
}

/** Retries `check` until it returns a value, or fails with its last error at the deadline. */
async function eventually<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}

async function request(method: string, url: string, body?: unknown) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The curl session of the README, with a fresh SKU so that reruns start from nothing. */
async function placeOrder(orderUrl: string, inventoryUrl: string) {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  const put = await request('PUT', `${inventoryUrl}/inventory/${sku}`, { available: 10 });
  if (put.status !== 200) throw new Error(`PUT stock: ${put.status} ${JSON.stringify(put.body)}`);

  const order = await request('POST', `${orderUrl}/orders`, {
    customerId: 'c-compose',
    items: [{ sku, quantity: 2 }],
  });
  if (order.status !== 201) throw new Error(`POST order: ${order.status} ${JSON.stringify(order.body)}`);
  const orderId = String(order.body.orderId);
  say(`order ${orderId} placed for 2 of ${sku}`);

  const stock = await eventually('stock reserved', EFFECT_TIMEOUT_MS, async () => {
    const { body } = await request('GET', `${inventoryUrl}/inventory/${sku}`);
    return body.available === 8 && body.reserved === 2 ? body : undefined;
  });
  say(`stock of ${sku}: ${JSON.stringify(stock)}`);

  const { status, body } = await request('GET', `${inventoryUrl}/reservations/${orderId}`);
  if (status !== 200 || body.status !== 'RESERVED') {
    throw new Error(`reservation: ${status} ${JSON.stringify(body)}`);
  }
}

async function main(): Promise<number> {
  const command = composeCommand();
  const orderPort = process.env.ORDER_PORT ?? String(await freePort());
  const inventoryPort = process.env.INVENTORY_PORT ?? String(await freePort());
  const env = { ...process.env, ORDER_PORT: orderPort, INVENTORY_PORT: inventoryPort };
  const orderUrl = `http://127.0.0.1:${orderPort}`;
  const inventoryUrl = `http://127.0.0.1:${inventoryPort}`;
  say(`${command.join(' ')}, project ${PROJECT}, ports order ${orderPort}, inventory ${inventoryPort}`);

  const stop = () => compose(command, ['down', '-v', '--remove-orphans'], env);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stop().then(() => process.exit(130)));
  }

  // Leftovers of an interrupted earlier run would otherwise be reused.
  await stop();
  const started = Date.now();
  try {
    const up = await compose(command, ['up', '--build', '-d'], env, UP_TIMEOUT_MS);
    if (up !== 0) throw new Error(`compose up exited with ${up}`);
    say(`stack up in ${Math.round((Date.now() - started) / 1000)} s`);

    for (const url of [orderUrl, inventoryUrl]) {
      await eventually(`${url}/health/ready`, READY_TIMEOUT_MS, async () =>
        (await request('GET', `${url}/health/ready`)).status === 200 ? true : undefined,
      );
    }
    await placeOrder(orderUrl, inventoryUrl);
    say(`passed in ${Math.round((Date.now() - started) / 1000)} s`);
    return 0;
  } catch (err) {
    await compose(command, ['ps'], env);
    await compose(command, ['logs', '--no-color', '--tail=60'], env);
    say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await stop();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  say(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
  return 1;
});
