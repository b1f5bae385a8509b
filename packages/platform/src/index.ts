export * from './config.js';
export * from './database.js';
export * from './errors.js';
export * from './http.js';
export * from './logger.js';
export * from './metrics.js';
export * from './openapi.js';
export * from './shutdown.js';
