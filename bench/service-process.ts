/**
 * A service run as `pnpm start` runs it: its own node process, configured only by
 * environment variables. Its peak resident memory is read from the kernel when it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@orderflow/testing';
import { BenchError, BenchErrorCodes } from './errors.js';

/** Names of the services under benchmark, as their folders under services/. */
export type ServiceName = 'order-service' | 'outbox-relay' | 'inventory-service';

/** Peak memory of one service process over its whole life. */
export interface PeakMemory {
  service: ServiceName;
  /** Which stage the process served. */
  stage: string;
  /** Peak resident set size (VmHWM) in MiB; null where /proc is not available. */
  peakRssMiB: number | null;
}

/** A running service process. */
export interface ServiceProcess {
  name: ServiceName;
  pid: number;
  /** Stops it with SIGTERM (SIGKILL after 15 s) and returns its peak memory. */
  stop(): Promise<PeakMemory>;
}

/** Options of startService. */
export interface StartServiceOptions {
  root: string;
  name: ServiceName;
  /** Stage label kept with its memory figure. */
  stage: string;
  /** Port answering GET /health/ready (PORT, or HEALTH_PORT of the relay). */
  healthPort: number;
  env: Record<string, string>;
}

const OUTPUT_LINES_KEPT = 40;

/** Starts a service and resolves once its /health/ready answers 200. */
export async function startService(options: StartServiceOptions): Promise<ServiceProcess> {
  const main = join(options.root, 'services', options.name, 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: options.root,
    env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepLastLines(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await waitFor(
    async () => {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new BenchError(
          BenchErrorCodes.serviceExited,
          `${options.name} exited:\n${output.join('\n')}`,
        );
      }
      const res = await fetch(`http://127.0.0.1:${options.healthPort}/health/ready`);
      return res.ok;
    },
    { timeoutMs: 60_000, intervalMs: 100, what: `${options.name} to be ready` },
  ).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw new BenchError(BenchErrorCodes.serviceNotReady, `${options.name} did not become ready`, {
      cause: err,
    });
  });

  return {
    name: options.name,
    pid: child.pid!,
    async stop() {
      const peakRssMiB = readPeakRss(child.pid!);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      return { service: options.name, stage: options.stage, peakRssMiB };
    },
  };
}

function keepLastLines(child: ChildProcess): string[] {
  const lines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - OUTPUT_LINES_KEPT));
    });
  }
  return lines;
}

/** VmHWM, the kernel's high-water mark of the process's resident memory. */
function readPeakRss(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? null : Math.round(Number(kib) / 1024);
  } catch {
    // No /proc (not Linux) or the process is gone: the figure is reported as unknown.
    return null;
  }
}
