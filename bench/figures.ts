/** The figures a run produces, each with what produced it. */
import type { HistogramBucket, LatencySummary } from './stats.js';
import type { PeakMemory } from './service-process.js';

/** One throughput figure, optionally with latencies and a ratio to its reference. */
export interface Figure {
  /** Short reference used in the table, e.g. `post-8-notify`. */
  id: string;
  /** The stage it belongs to, e.g. `POST /orders`. */
  stage: string;
  /** What ran, e.g. `order service, NOTIFY on`. */
  name: string;
  /** Work done per second. */
  perSecond: number;
  /** Unit of perSecond, e.g. `orders/s`. */
  unit: string;
  /** Units of work the figure is computed from. */
  count: number;
  p50Ms?: number;
  p99Ms?: number;
  /** perSecond divided by the reference figure's. */
  ratio?: { value: number; to: string };
  /** The command, counts and concurrency that produced it. */
  producedBy: string;
}

/** Order commit to inventory commit, measured from the events themselves. */
export interface EndToEnd {
  /** Orders per second offered, and reached. */
  offeredPerSecond: number;
  /** Id of the figure the offered load is a share of: the slowest stage. */
  offeredBasis: string;
  achievedPerSecond: number;
  latency: LatencySummary;
  /** First leg: order commit to the relay's batch transaction that published it. */
  toPublished: LatencySummary;
  /** Second leg: that batch transaction to inventory's transaction. */
  publishedToApplied: LatencySummary;
  histogram: HistogramBucket[];
  producedBy: string;
}

/** Everything one run measured, as written to the results file. */
export interface BenchResults {
  startedAt: string;
  durationSeconds: number;
  mode: string;
  command: string;
  machine: Record<string, string | number>;
  figures: Figure[];
  endToEnd: EndToEnd;
  memory: PeakMemory[];
}
