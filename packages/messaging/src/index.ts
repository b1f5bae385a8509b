export * from './consumer-runner.js';
export * from './dead-letters.js';
export * from './errors.js';
export * from './headers.js';
export * from './kafka.js';
export * from './metrics.js';
export * from './retry-policy.js';
