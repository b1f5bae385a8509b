/**
 * `pnpm test`: type-checks the code, finds Postgres and Kafka (starting a fresh local
 * broker from jars unless KAFKA_BROKERS is set), then runs every *.test.ts file with
 * node's test runner against them. Extra arguments filter test files by path.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKafka } from '../kafka/find.js';
import { findPostgres } from '../postgres/server.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TEST_ROOTS = ['packages', 'services', 'test'];

function say(line: string) {
  process.stdout.write(`[test] ${line}\n`);
}

function findTestFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTestFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

async function main(): Promise<number> {
  const filters = process.argv.slice(2);
  const files = TEST_ROOTS.flatMap((dir) => findTestFiles(join(root, dir)))
    .map((file) => relative(root, file))
    .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
    .sort();
  if (files.length === 0) {
    say(`no test files match ${filters.join(' ')}`);
    return 1;
  }

  say('type-checking');
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', root], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) return tsc.status ?? 1;

  const postgres = await findPostgres();
  mkdirSync(join(root, 'infra', 'kafka', '.cache'), { recursive: true });
  const dataDir = mkdtempSync(join(root, 'infra', 'kafka', '.cache', 'test-broker-'));
  say(process.env.KAFKA_BROKERS ? 'using KAFKA_BROKERS' : 'starting a fresh local Kafka broker');
  const kafka = await findKafka({ dataDir });
  say(`kafka: ${kafka.brokers}; postgres: ${new URL(postgres).host}; ${files.length} test files`);

  try {
    // Asynchronous, so this process keeps draining the broker's output while tests run.
    const run = spawn(
      process.execPath,
      ['--import', 'tsx', '--test', '--test-concurrency=4', '--test-timeout=180000', '--test-reporter=spec', ...files],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, TEST_KAFKA_BROKERS: kafka.brokers, TEST_POSTGRES_URL: postgres },
      },
    );
    return await new Promise<number>((resolve) => run.once('exit', (code) => resolve(code ?? 1)));
  } finally {
    await kafka.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`[test] ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
