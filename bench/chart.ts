/**
 * A small SVG of a run: the end-to-end latency distribution on the left, the throughput
 * of every figure on a log scale on the right. Written by hand, no chart library.
 */
import type { BenchResults } from './figures.js';

const WIDTH = 980;
const HEIGHT = 380;
const PANEL_TOP = 50;
const PANEL_HEIGHT = 270;

/** The chart as an SVG document. */
export function renderChart(results: BenchResults): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    text(
      10,
      20,
      `pnpm bench (${results.mode}), ${results.startedAt}`,
      'font-size="13" font-weight="bold"',
    ),
    ...latencyPanel(results, 40, 360),
    ...throughputPanel(results, 470, 500),
    '</svg>',
  ];
  return parts.join('\n') + '\n';
}

function latencyPanel({ endToEnd }: BenchResults, left: number, width: number): string[] {
  const bars = endToEnd.histogram;
  const top = Math.max(1, ...bars.map((b) => b.count));
  const maxMs = bars.length > 0 ? bars[0]!.toMs * bars.length : 1;
  const barWidth = width / Math.max(1, bars.length);
  const bottom = PANEL_TOP + PANEL_HEIGHT;
  const x = (ms: number) => left + (ms / maxMs) * width;
  const l = endToEnd.latency;
  const out = [
    text(
      left,
      PANEL_TOP - 14,
      `end to end, order commit → inventory commit (${l.count} orders at ${endToEnd.offeredPerSecond}/s)`,
    ),
    `<line x1="${left}" y1="${bottom}" x2="${left + width}" y2="${bottom}" stroke="#333"/>`,
    ...bars.map((b, i) => {
      const h = (b.count / top) * PANEL_HEIGHT;
      return `<rect x="${(left + i * barWidth).toFixed(1)}" y="${(bottom - h).toFixed(1)}" width="${(barWidth - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="#4a7bd0"/>`;
    }),
    text(left, bottom + 16, '0 ms'),
    text(
      left + width,
      bottom + 16,
      `${maxMs.toFixed(0)} ms (last bar: all beyond)`,
      'text-anchor="end"',
    ),
    text(
      left,
      bottom + 34,
      `p50 ${l.p50Ms.toFixed(1)}  p90 ${l.p90Ms.toFixed(1)}  p99 ${l.p99Ms.toFixed(1)}  max ${l.maxMs.toFixed(1)} ms`,
    ),
  ];
  for (const [label, ms] of [
    ['p50', l.p50Ms],
    ['p99', l.p99Ms],
  ] as const) {
    const at = Math.min(x(ms), left + width);
    out.push(
      `<line x1="${at.toFixed(1)}" y1="${PANEL_TOP}" x2="${at.toFixed(1)}" y2="${bottom}" stroke="#d04a4a" stroke-dasharray="4 3"/>`,
    );
    out.push(text(at + 3, PANEL_TOP + 10, label, 'fill="#d04a4a"'));
  }
  return out;
}

function throughputPanel({ figures }: BenchResults, left: number, width: number): string[] {
  const labelWidth = 250;
  const barLeft = left + labelWidth;
  const barSpace = width - labelWidth - 70;
  const maxLog = Math.ceil(Math.log10(Math.max(10, ...figures.map((f) => f.perSecond))));
  const rowHeight = Math.min(24, PANEL_HEIGHT / Math.max(1, figures.length));
  const out = [text(left, PANEL_TOP - 14, 'throughput per stage, per second (log scale)')];
  figures.forEach((f, i) => {
    const y = PANEL_TOP + i * rowHeight;
    const w = (Math.max(0, Math.log10(Math.max(1, f.perSecond))) / maxLog) * barSpace;
    const colour =
      f.id.startsWith('pgbench') || f.id === 'bare-producer'
        ? '#999'
        : f.id === 'naive-relay'
          ? '#d08a4a'
          : '#4a7bd0';
    out.push(text(barLeft - 6, y + rowHeight * 0.65, `${f.stage}: ${f.id}`, 'text-anchor="end"'));
    out.push(
      `<rect x="${barLeft}" y="${(y + 3).toFixed(1)}" width="${w.toFixed(1)}" height="${(rowHeight - 6).toFixed(1)}" fill="${colour}"/>`,
    );
    out.push(text(barLeft + w + 4, y + rowHeight * 0.65, `${Math.round(f.perSecond)} ${f.unit}`));
  });
  const bottom = PANEL_TOP + figures.length * rowHeight + 14;
  out.push(text(left, bottom, 'grey: ceilings (pgbench, bare producer); orange: naive relay'));
  return out;
}

function text(x: number, y: number, content: string, attributes = ''): string {
  const escaped = content.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attributes}>${escaped}</text>`;
}
