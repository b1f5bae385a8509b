import { AppError } from '@orderflow/platform';

/** Codes of the ways a benchmark run can fail. */
export const BenchErrorCodes = {
  usage: 'BENCH_ERR_USAGE',
  serviceExited: 'BENCH_ERR_SERVICE_EXITED',
  serviceNotReady: 'BENCH_ERR_SERVICE_NOT_READY',
  pgbench: 'BENCH_ERR_PGBENCH',
  load: 'BENCH_ERR_LOAD',
} as const;

export type BenchErrorCode = (typeof BenchErrorCodes)[keyof typeof BenchErrorCodes];

/** A benchmark that cannot produce its figure; the run stops and says why. */
export class BenchError extends AppError {
  constructor(code: BenchErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
  }
}
