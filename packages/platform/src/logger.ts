import { pino, stdSerializers, stdTimeFunctions, type Logger, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

/**
 * The one logger factory. Every line is JSON with the service name and the fixed field
 * names of the project (err, reqId, correlationId, orderId, eventId, eventType,
 * outboxId, topic, partition, offset, attempt).
 */
export function createLogger(service: string, level: LevelWithSilent | string = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: stdTimeFunctions.isoTime,
    serializers: { err: stdSerializers.errWithCause },
  });
}
