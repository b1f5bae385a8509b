/**
 * The run's figures as a table on stdout, with the ratios the issue asks for spelled
 * out underneath and, last, what produced each figure.
 */
import type { BenchResults, Figure } from './figures.js';
import type { LatencySummary } from './stats.js';

/** The whole report as text. */
export function formatReport(results: BenchResults): string {
  const lines = [
    `pnpm bench (${results.mode}), ${results.startedAt}, ${results.durationSeconds.toFixed(0)} s`,
    `machine: ${Object.entries(results.machine)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    ...figureTable(results.figures),
    '',
    ...endToEndLines(results),
    '',
    ...ratioLines(results.figures),
    '',
    'peak RSS per service process:',
    ...results.memory.map(
      (m) => `  ${m.service.padEnd(18)} ${`(${m.stage})`.padEnd(15)} ${m.peakRssMiB ?? '?'} MiB`,
    ),
    '',
    'produced by:',
    ...results.figures.map((f) => `  [${f.id}] ${f.producedBy}`),
    `  [end-to-end] ${results.endToEnd.producedBy}`,
  ];
  return lines.join('\n');
}

function figureTable(figures: Figure[]): string[] {
  const header = ['stage', 'what', 'per second', 'p50 ms', 'p99 ms', 'ratio', 'id'];
  const rows = figures.map((f) => [
    f.stage,
    f.name,
    `${Math.round(f.perSecond).toLocaleString('en-US')} ${f.unit}`,
    fixed(f.p50Ms),
    fixed(f.p99Ms),
    f.ratio ? `${f.ratio.value.toFixed(2)} of ${f.ratio.to}` : '',
    f.id,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function endToEndLines({ endToEnd: e }: BenchResults): string[] {
  const l = e.latency;
  return [
    `end to end, offered ${e.offeredPerSecond} orders/s ` +
      `(a share of ${e.offeredBasis}, the slowest stage; reached ${e.achievedPerSecond.toFixed(0)}), ${l.count} orders:`,
    latencyLine('order commit -> inventory commit', l),
    latencyLine('  of which commit -> published', e.toPublished),
    latencyLine('  of which published -> applied', e.publishedToApplied),
  ];
}

/** The comparisons the figures exist for, one line each. */
function ratioLines(figures: Figure[]): string[] {
  const byId = new Map(figures.map((f) => [f.id, f]));
  const lines = ['ratios:'];
  for (const f of figures.filter((f) => f.id.startsWith('post-'))) {
    lines.push(
      `  ${f.name}: ${f.ratio!.value.toFixed(2)} × pgbench with the same transaction and clients`,
    );
  }
  for (const f of figures.filter((f) => f.id.startsWith('post-') && f.id.endsWith('-notify'))) {
    const off = byId.get(f.id.replace('-notify', '-poll'));
    if (off) {
      const cost = 1 - f.perSecond / off.perSecond;
      lines.push(
        `  NOTIFY's cost on POST at ${f.id.split('-')[1]} connections: ${(cost * 100).toFixed(1)} % of throughput`,
      );
    }
  }
  const relay = byId.get('relay');
  const bare = byId.get('bare-producer');
  const naive = byId.get('naive-relay');
  if (relay && bare)
    lines.push(`  relay ÷ bare producer: ${(relay.perSecond / bare.perSecond).toFixed(2)}`);
  if (relay && naive)
    lines.push(`  relay ÷ naive relay: ${(relay.perSecond / naive.perSecond).toFixed(1)} ×`);
  return lines;
}

function latencyLine(label: string, l: LatencySummary): string {
  const cells = [
    `p50 ${fixed(l.p50Ms)}`,
    `p90 ${fixed(l.p90Ms)}`,
    `p99 ${fixed(l.p99Ms)}`,
    `max ${fixed(l.maxMs)}`,
  ];
  return `  ${label.padEnd(34)} ${cells.map((c) => c.padEnd(13)).join(' ')} ms`;
}

function fixed(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return '';
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}
