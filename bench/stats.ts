/** Percentiles and histograms of latency samples, in milliseconds. */

/** The usual percentiles of a set of samples. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One bar of a latency histogram: samples in [fromMs, toMs). */
export interface HistogramBucket {
  fromMs: number;
  toMs: number;
  count: number;
}

/** The nearest-rank percentile `q` (0..1) of samples sorted in ascending order. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** p50, p90, p99 and max of the samples. */
export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
  };
}

/**
 * A histogram over [0, p99 × 1.5) in `buckets` equal bars; the samples beyond it are
 * counted in the last bar, so that one slow outlier does not flatten the rest.
 */
export function histogram(samples: number[], buckets = 30): HistogramBucket[] {
  if (samples.length === 0) return [];
  const sorted = [...samples].sort((a, b) => a - b);
  const top = Math.max(1, percentile(sorted, 0.99) * 1.5);
  const width = top / buckets;
  const bars = Array.from({ length: buckets }, (_, i) => ({
    fromMs: i * width,
    toMs: (i + 1) * width,
    count: 0,
  }));
  for (const sample of sorted) bars[Math.min(buckets - 1, Math.floor(sample / width))]!.count += 1;
  bars[buckets - 1]!.toMs = Math.max(top, sorted[sorted.length - 1]!);
  return bars;
}
