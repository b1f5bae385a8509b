/**
 * What one `pnpm bench` run measures and for how long: the full run by default,
 * `--quick` for a reduced one, `--backlog=N` to change the relay and inventory backlog,
 * `--load-share=F` to change the end-to-end load (a share of the slowest stage).
 */
import { parseArgs } from 'node:util';
import { BenchError, BenchErrorCodes } from './errors.js';

/** The counts and durations of one run. */
export interface BenchPlan {
  mode: 'full' | 'quick';
  /** HTTP connections and pgbench clients of the POST /orders runs. */
  connections: number[];
  /** Seconds of each measured POST /orders and pgbench run. */
  loadSeconds: number;
  /** Seconds of the unmeasured warm-up after an order service starts. */
  warmupSeconds: number;
  /** Outbox rows the relay and the bare producer drain; events inventory applies. */
  backlog: number;
  /** Rows each relay batch claims and each bare-producer batch sends (the relay default). */
  batchSize: number;
  /** Longest time the naive relay runs; it never drains a large backlog in time. */
  naiveSeconds: number;
  /** Rows given to the naive relay: more than it can publish in naiveSeconds. */
  naiveBacklog: number;
  /** Seconds of steady offered load in the end-to-end run. */
  endToEndSeconds: number;
  /** Share of the slowest stage's measured rate offered in the end-to-end run. */
  endToEndLoadShare: number;
}

const FULL: BenchPlan = {
  mode: 'full',
  connections: [8, 32],
  loadSeconds: 10,
  warmupSeconds: 2,
  backlog: 50_000,
  batchSize: 500,
  naiveSeconds: 20,
  naiveBacklog: 10_000,
  endToEndSeconds: 20,
  endToEndLoadShare: 0.5,
};

const QUICK: BenchPlan = {
  ...FULL,
  mode: 'quick',
  loadSeconds: 3,
  warmupSeconds: 1,
  backlog: 5_000,
  naiveSeconds: 5,
  naiveBacklog: 2_000,
  endToEndSeconds: 5,
};

/** Reads the plan from the command line (`--quick`, `--backlog=N`, `--load-share=F`). */
export function readPlan(argv: string[]): BenchPlan {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: false },
        backlog: { type: 'string' },
        'load-share': { type: 'string' },
      },
    });
  } catch (err) {
    throw new BenchError(
      BenchErrorCodes.usage,
      `usage: pnpm bench [--quick] [--backlog=N] [--load-share=F] (${String(err)})`,
    );
  }
  const plan = parsed.values.quick ? { ...QUICK } : { ...FULL };
  if (parsed.values.backlog !== undefined) {
    const backlog = Number(parsed.values.backlog);
    if (!Number.isInteger(backlog) || backlog < plan.batchSize) {
      throw new BenchError(
        BenchErrorCodes.usage,
        `--backlog must be an integer of at least ${plan.batchSize}`,
      );
    }
    plan.backlog = backlog;
  }
  if (parsed.values['load-share'] !== undefined) {
    const share = Number(parsed.values['load-share']);
    if (!(share > 0 && share <= 1))
      throw new BenchError(BenchErrorCodes.usage, '--load-share must be in (0, 1]');
    plan.endToEndLoadShare = share;
  }
  return plan;
}
