import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from './errors.js';
import { isDependencyUnavailable } from './unavailable.js';
import type { Logger } from './logger.js';
import { instrumentHttp, type Registry } from './metrics.js';
import { registerOpenApi } from './openapi.js';

/** The fastify instance every HTTP service builds on, typed by its TypeBox route schemas. */
export type HttpApp = FastifyInstance<
  import('node:http').Server,
  IncomingMessage,
  import('node:http').ServerResponse,
  Logger,
  TypeBoxTypeProvider
>;

/** Options of createHttpApp. */
export interface HttpAppOptions {
  logger: Logger;
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Registry that GET /metrics serves and request durations go to. */
  metrics?: Registry;
  /** Title and description of the OpenAPI document served at /docs. */
  openapi?: { title: string; description: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's x-correlation-id, or a new one; it follows the work into events. */
    correlationId: string;
  }
}

const CORRELATION_HEADER = 'x-correlation-id';
const CORRELATION_PATTERN = /^[\w.:-]{1,128}$/;
const correlationIds = new WeakMap<IncomingMessage, string>();

function correlationIdOf(raw: IncomingMessage): string {
  let id = correlationIds.get(raw);
  if (!id) {
    const given = raw.headers[CORRELATION_HEADER];
    id = typeof given === 'string' && CORRELATION_PATTERN.test(given) ? given : randomUUID();
    correlationIds.set(raw, id);
  }
  return id;
}

/**
 * A fastify app with the project's conventions: JSON bodies validated without type
 * coercion, errors answered as application/problem+json without internals, a
 * correlation id on every request and its log lines, 4xx logged at info and 5xx at error;
 * with /metrics and /docs when asked for. Routes are added by the caller afterwards.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Our onResponse hook logs each request once, at a level chosen by its status.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Errors the router raises before any route runs: answered as problems too, without
    // echoing the offending URL back.
    frameworkErrors(err, _request, reply) {
      const detail = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'the URL is not valid';
      return sendProblem(reply, err.statusCode ?? 400, err.code, detail);
    },
    childLoggerFactory(logger, bindings, opts, raw) {
      return logger.child({ ...bindings, correlationId: correlationIdOf(raw) }, opts);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: any other content type is answered 415 instead of reaching validation.
  app.removeContentTypeParser('text/plain');

  app.decorateRequest('correlationId', '');
  app.addHook('onRequest', async (request, reply) => {
    request.correlationId = correlationIdOf(request.raw);
    reply.header(CORRELATION_HEADER, request.correlationId);
  });

  app.addHook('onResponse', async (request, reply) => {
    const fields = { method: request.method, url: request.url, statusCode: reply.statusCode };
    const timing = { ...fields, ms: Math.round(reply.elapsedTime) };
    // 503 is a state the service reports (not ready, database away), not a failure of it.
    if (reply.statusCode === 503) request.log.warn(timing, 'request refused, unavailable');
    else if (reply.statusCode >= 500) request.log.error(timing, 'request failed');
    else if (reply.statusCode >= 400) request.log.info(timing, 'request rejected');
    else request.log.debug(timing, 'request completed');
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      return sendProblem(reply, 400, 'HTTP_ERR_VALIDATION', err.message);
    }
    if (err instanceof AppError && err.statusCode < 500) {
      return sendProblem(reply, err.statusCode, err.code, err.message);
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500 && err.code?.startsWith('FST_')) {
      return sendProblem(reply, status, err.code, err.message);
    }
    if (isDependencyUnavailable(err)) {
      request.log.warn({ err }, 'dependency unavailable');
      reply.header('retry-after', '1');
      return sendProblem(reply, 503, 'HTTP_ERR_UNAVAILABLE', 'a dependency is unavailable; try again shortly');
    }
    request.log.error({ err }, 'request error');
    return sendProblem(reply, 500, 'HTTP_ERR_INTERNAL', 'the server could not complete the request');
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, 404, 'HTTP_ERR_ROUTE_NOT_FOUND', `no route for ${request.method} ${request.url}`),
  );

  const typed = app as unknown as HttpApp;
  if (options.openapi) await registerOpenApi(typed, options.openapi);
  if (options.metrics) instrumentHttp(typed, options.metrics);
  return typed;
}

/** The RFC 9457 problem document every error response is. */
export const ProblemDetails = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable machine-readable error code' }),
    detail: Type.String({ description: 'what was wrong, for a human' }),
  },
  { additionalProperties: true, description: 'application/problem+json' },
);

/** Response schemas of the given error statuses, for a route's OpenAPI description. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, ProblemDetails]));
}

/** Answers with an RFC 9457 problem document. */
export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, code, detail });
}

/** A named check of a dependency; it throws when the dependency is not usable. */
export type ReadinessCheck = () => Promise<unknown>;

/**
 * GET /health/live (the process answers) and GET /health/ready (every check passes
 * within its time limit; 503 naming the failing parts otherwise).
 */
export function registerHealth(app: HttpApp, checks: Record<string, ReadinessCheck>, timeoutMs = 2000) {
  app.get('/health/live', { schema: { tags: ['health'] } }, async () => ({ status: 'ok' }));

  const Ready = Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Type.String()) });
  const schema = { tags: ['health'], response: { 200: Ready, 503: ProblemDetails } };
  app.get('/health/ready', { schema }, async (request, reply) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeoutMs);
          return [name, 'ok'] as const;
        } catch (err) {
          request.log.warn({ err, check: name }, 'readiness check failed');
          return [name, 'failing'] as const;
        }
      }),
    );
    const failing = results.filter(([, state]) => state !== 'ok').map(([name]) => name);
    if (failing.length === 0) return { status: 'ok', checks: Object.fromEntries(results) };
    return reply
      .status(503)
      .type('application/problem+json')
      .send({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        code: 'HTTP_ERR_NOT_READY',
        detail: `not ready: ${failing.join(', ')} unreachable`,
        checks: Object.fromEntries(results),
      });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
