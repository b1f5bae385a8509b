/**
 * `pnpm bench [--quick] [--backlog=N]`: throughput and latency of every stage of the
 * outbox flow on the local Postgres and a real Kafka broker, next to their ceilings and
 * the naive design. Prints a table, writes the figures to .bench/results.json and a
 * chart to .bench/chart.svg. Every database, topic and process it creates is its own.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findKafka } from '../infra/kafka/find.js';
import { findPostgres } from '../infra/postgres/server.js';
import { renderChart } from './chart.js';
import { createContext } from './context.js';
import { benchEndToEnd } from './end-to-end.js';
import type { BenchResults } from './figures.js';
import { benchInventory } from './inventory.js';
import { describeMachine } from './machine.js';
import { readPlan } from './plan.js';
import { benchPostOrders } from './post-orders.js';
import { benchRelay } from './relay.js';
import { formatReport } from './report.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, '.bench');

function say(line: string) {
  process.stdout.write(`[bench] ${line}\n`);
}

async function main() {
  const plan = readPlan(process.argv.slice(2));
  const started = new Date();
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(outDir, 'run-'));

  const postgresUrl = await findPostgres();
  say(process.env.KAFKA_BROKERS ? 'using KAFKA_BROKERS' : 'starting a local Kafka broker');
  const kafka = await findKafka({ dataDir: join(workDir, 'broker') });
  const machine = await describeMachine(root, postgresUrl, kafka.source);
  const ctx = await createContext({ root, plan, postgresUrl, brokers: kafka.brokers });
  try {
    say(`POST /orders and pgbench, ${plan.connections.join(' and ')} connections, ${plan.loadSeconds} s each`);
    const posts = await benchPostOrders(ctx, workDir);
    say(`relay, bare producer and naive relay, backlog of ${plan.backlog} rows`);
    const relay = await benchRelay(ctx);
    say(`inventory applying ${plan.backlog} events`);
    const inventory = await benchInventory(ctx, relay.topic);

    const peak = Math.max(...posts.filter((f) => f.id.startsWith('post-') && f.id.endsWith('-notify')).map((f) => f.perSecond));
    say(`end to end at ${Math.round(peak * plan.endToEndLoadShare)} orders/s for ${plan.endToEndSeconds} s`);
    const endToEnd = await benchEndToEnd(ctx, peak * plan.endToEndLoadShare);

    const results: BenchResults = {
      startedAt: started.toISOString(),
      durationSeconds: (Date.now() - started.getTime()) / 1000,
      mode: plan.mode,
      command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      figures: [...posts, ...relay.figures, inventory],
      endToEnd,
      memory: ctx.memory,
    };
    writeFileSync(join(outDir, 'results.json'), JSON.stringify({ plan, ...results }, null, 2) + '\n');
    writeFileSync(join(outDir, 'chart.svg'), renderChart(results));
    process.stdout.write(`\n${formatReport(results)}\n\n`);
    say('figures in .bench/results.json, chart in .bench/chart.svg');
  } finally {
    await ctx.close();
    await kafka.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`[bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (err instanceof Error && err.cause) process.stderr.write(`[bench] cause: ${String(err.cause)}\n`);
    process.exit(1);
  },
);
