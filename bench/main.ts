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
import type { BenchResults, Figure } from './figures.js';
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
  const postgresUrl = await findPostgres();
  mkdirSync(outDir, { recursive: true });
  const workDir = mkdtempSync(join(outDir, 'run-'));

  say(process.env.KAFKA_BROKERS ? 'using KAFKA_BROKERS' : 'starting a local Kafka broker');
  const kafka = await findKafka({ dataDir: join(workDir, 'broker') });
  const machine = await describeMachine(root, postgresUrl, kafka.source);
  const ctx = await createContext({ root, plan, postgresUrl, brokers: kafka.brokers });
  try {
    say(
      `POST /orders and pgbench, ${plan.connections.join(' and ')} connections, ${plan.loadSeconds} s each`,
    );
    const posts = await benchPostOrders(ctx, workDir);
    say(`relay, bare producer and naive relay, backlog of ${plan.backlog} rows`);
    const relay = await benchRelay(ctx);
    say(`inventory applying ${plan.backlog} events`);
    const inventory = await benchInventory(ctx, relay.topic);

    const bottleneck = slowestStage([...posts, ...relay.figures, inventory]);
    const offered = bottleneck.perSecond * plan.endToEndLoadShare;
    const share = `${plan.endToEndLoadShare} of ${bottleneck.id}`;
    say(`end to end at ${Math.round(offered)} orders/s (${share}) for ${plan.endToEndSeconds} s`);
    const endToEnd = await benchEndToEnd(ctx, offered, bottleneck.id);

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
    writeFileSync(
      join(outDir, 'results.json'),
      JSON.stringify({ plan, ...results }, null, 2) + '\n',
    );
    writeFileSync(join(outDir, 'chart.svg'), renderChart(results));
    process.stdout.write(`\n${formatReport(results)}\n\n`);
    say('figures in .bench/results.json, chart in .bench/chart.svg');
  } finally {
    await ctx
      .close()
      .finally(() => kafka.stop())
      .finally(() => rmSync(workDir, { recursive: true, force: true }));
  }
}

/**
 * The slowest stage the flow passes through: the order service at its best (NOTIFY on, as
 * it runs by default), the relay, or inventory. A steady load has to stay below it, or
 * the end-to-end latency measures a queue that only grows.
 */
function slowestStage(figures: Figure[]): Figure {
  const stages = figures.filter((f) => f.id === 'relay' || f.id === 'inventory');
  const posts = figures.filter((f) => f.id.startsWith('post-') && f.id.endsWith('-notify'));
  const bestPost = posts.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
  return [bestPost, ...stages].reduce((a, b) => (b.perSecond < a.perSecond ? b : a));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(
      `[bench] ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    if (err instanceof Error && err.cause)
      process.stderr.write(`[bench] cause: ${String(err.cause)}\n`);
    process.exit(1);
  },
);
