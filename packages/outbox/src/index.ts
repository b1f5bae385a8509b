export * from './metrics.js';
export * from './relay.js';
export * from './schema.js';
export * from './write.js';
