/**
 * Helpers for the integration tests: the servers `pnpm test` found or started, unique
 * names so test files can run in parallel, and waiting on a condition with a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { pino, type Logger } from 'pino';

/** Where the test servers are; set by `pnpm test` (infra/local/test.ts). */
export function testServers(): { kafkaBrokers: string; postgresUrl: string } {
  const kafkaBrokers = process.env.TEST_KAFKA_BROKERS;
  const postgresUrl = process.env.TEST_POSTGRES_URL;
  if (!kafkaBrokers || !postgresUrl) {
    throw new Error('TEST_KAFKA_BROKERS and TEST_POSTGRES_URL are not set: run the tests with `pnpm test`');
  }
  return { kafkaBrokers, postgresUrl };
}

/** A name no other test run uses: lowercase letters, digits and underscores. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** The URL of a fresh, uniquely named database on the test server (created on first use). */
export function uniqueDatabaseUrl(prefix: string): string {
  const url = new URL(testServers().postgresUrl);
  url.pathname = `/${uniqueName(`test_${prefix}`)}`;
  return url.toString();
}

/** Drops a test database, ending any connection still open on it. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}

/** A logger for code under test: silent unless TEST_LOG_LEVEL says otherwise. */
export function testLogger(service = 'test'): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent', base: { service } });
}

/** Options of waitFor. */
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Says what was awaited, in the error when the deadline passes. */
  what?: string;
}

/**
 * Calls `probe` until it returns a value other than undefined/false, or throws after the
 * deadline with the last value or error seen. Never a bare sleep.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: WaitOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out waiting for ${options.what ?? 'a condition'} (last seen: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}

/** Resolves once the group has committed every message now in the given topics. */
export async function waitForGroupCaughtUp(admin: Admin, groupId: string, topics: string[], timeoutMs = 20_000) {
  const ends = await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
  await waitFor(
    async () => {
      const committed = await admin.fetchOffsets({ groupId, topics });
      return ends.every(({ topic, offsets }) => {
        const group = committed.find((c) => c.topic === topic)?.partitions ?? [];
        return offsets.every((end) => {
          const at = group.find((p) => p.partition === end.partition)?.offset ?? '-1';
          return end.high === '0' || BigInt(at) >= BigInt(end.high);
        });
      });
    },
    { timeoutMs, what: `consumer group ${groupId} to catch up on ${topics.join(', ')}` },
  );
}

/** Reads `count` messages of a topic from its start with a throwaway consumer group. */
export async function readMessages(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000) {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 200 });
  const messages: (KafkaMessage & { partition: number })[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message, partition }) => void messages.push({ ...message, partition }) });
    await waitFor(() => messages.length >= count, { timeoutMs, what: `${count} messages on ${topic}` });
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** How many messages a topic holds over all its partitions. */
export async function topicSize(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

/** A service started as its own process, as `pnpm start` and Docker run it. */
export interface ServiceProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: string[];
  /** Resolves with the exit code (null when ended by a signal). */
  exit: Promise<number | null>;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Starts services/<name>/src/main.ts with the given environment on top of this one. */
export function spawnService(name: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join('services', name, 'src', 'main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk) => output.push(String(chunk)));
  child.stderr!.on('data', (chunk) => output.push(String(chunk)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exit };
}
