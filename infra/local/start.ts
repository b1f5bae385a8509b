/**
 * `pnpm start`: the whole stack in the foreground without Docker. Finds Postgres and
 * Kafka (starting a local broker from jars when KAFKA_BROKERS is not set), then runs
 * the order service, the outbox relay and the inventory service as child processes
 * with their output prefixed. Ctrl-C stops the services first, then the broker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { prettyFactory } from 'pino-pretty';
import { findKafka } from '../kafka/find.js';
import { databaseUrl, findPostgres } from '../postgres/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pretty = process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
const format = prettyFactory({ colorize: true, ignore: 'pid,hostname,service' });

function say(line: string) {
  process.stdout.write(`[stack] ${line}\n`);
}

function runService(name: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'services', name, 'src', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches us, and we stop it in order.
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      const shown = pretty && line.startsWith('{') ? format(line).trimEnd() : line;
      process.stdout.write(`[${name}] ${shown}\n`);
    });
  }
  return child;
}

async function main() {
  const postgres = await findPostgres();
  const dataDir = join(root, 'infra', 'kafka', '.cache', 'dev-broker');
  mkdirSync(dataDir, { recursive: true });
  say(process.env.KAFKA_BROKERS ? 'using KAFKA_BROKERS' : 'starting a local Kafka broker (first run fetches jars)');
  const kafka = await findKafka({ dataDir, port: 9092, controllerPort: 9093 });
  say(`kafka: ${kafka.brokers} from ${kafka.source}; postgres: ${new URL(postgres).host}`);

  // Loopback only: this is a development stack (Docker sets HOST=0.0.0.0 itself).
  const common = { KAFKA_BROKERS: kafka.brokers, HOST: process.env.HOST ?? '127.0.0.1' };
  const children = new Map<string, ChildProcess>([
    ['order-service', runService('order-service', { ...common, DATABASE_URL: databaseUrl(postgres, 'orders') })],
    ['outbox-relay', runService('outbox-relay', { ...common, DATABASE_URL: databaseUrl(postgres, 'orders') })],
    [
      'inventory-service',
      runService('inventory-service', { ...common, DATABASE_URL: databaseUrl(postgres, 'inventory') }),
    ],
  ]);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping services');
    await Promise.all(
      [...children.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    say('stopping Kafka');
    await kafka.stop();
    say('stopped');
    process.exit(code);
  };

  for (const [name, child] of children) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      say(`${name} exited (${signal ?? `code ${code}`}); stopping the stack`);
      void stop(1);
    });
  }
  void kafka.exited.then(() => {
    if (stopping) return;
    say('the Kafka broker exited; stopping the stack (see infra/kafka/.cache/dev-broker/broker.log)');
    void stop(1);
  });
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  say('order service http://127.0.0.1:3000, inventory service http://127.0.0.1:3001; Ctrl-C stops');
}

main().catch((err: unknown) => {
  process.stderr.write(`[stack] ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
