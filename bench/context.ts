/**
 * What every stage of a run shares: the servers, the Kafka client, and the names and
 * processes it created, so that the run can clean up after itself whatever happens.
 */
import type { Admin, Kafka } from 'kafkajs';
import { createKafka } from '@orderflow/messaging';
import { createLogger, type Logger } from '@orderflow/platform';
import { dropDatabase, uniqueName } from '@orderflow/testing';
import { freePort } from '../infra/kafka/broker.js';
import { databaseUrl } from '../infra/postgres/server.js';
import type { BenchPlan } from './plan.js';
import {
  startService,
  type PeakMemory,
  type ServiceName,
  type ServiceProcess,
} from './service-process.js';

/** The shared state of one benchmark run. */
export interface BenchContext {
  root: string;
  plan: BenchPlan;
  /** URL of the Postgres server (any database). */
  postgresUrl: string;
  /** `host:port` of the broker. */
  brokers: string;
  kafka: Kafka;
  admin: Admin;
  /** A silent logger for the library code the benchmark drives in-process. */
  logger: Logger;
  /** Peak memory of every service process stopped so far. */
  memory: PeakMemory[];
  /** A fresh database URL on the server; dropped at the end of the run. */
  database(prefix: string): string;
  /** A topic name no other run uses. */
  topic(prefix: string): string;
  /** Starts a service on a free port; `port` is where its health endpoint answers. */
  service(name: ServiceName, stage: string, env: Record<string, string>): Promise<StartedService>;
  /** Stops a service and records its peak memory. */
  stop(service: ServiceProcess): Promise<void>;
  /** Stops what is still running and drops every database the run created. */
  close(): Promise<void>;
}

/** A started service and the port its HTTP server (or the relay's health server) uses. */
export interface StartedService {
  process: ServiceProcess;
  port: number;
}

/** Options of createContext. */
export interface ContextOptions {
  root: string;
  plan: BenchPlan;
  postgresUrl: string;
  brokers: string;
}

/** Connects the Kafka admin client and returns the run's context. */
export async function createContext(options: ContextOptions): Promise<BenchContext> {
  const logger = createLogger('bench', 'silent');
  const kafka = createKafka({ brokers: options.brokers, clientId: 'bench', logger });
  const admin = kafka.admin();
  await admin.connect();
  const databases: string[] = [];
  const running = new Set<ServiceProcess>();
  const memory: PeakMemory[] = [];

  const stop = async (service: ServiceProcess) => {
    if (!running.delete(service)) return;
    memory.push(await service.stop());
  };

  return {
    ...options,
    kafka,
    admin,
    logger,
    memory,
    database(prefix) {
      const url = databaseUrl(options.postgresUrl, uniqueName(`bench_${prefix}`));
      databases.push(url);
      return url;
    },
    topic: (prefix) => uniqueName(`bench_${prefix}`),
    async service(name, stage, env) {
      const port = await freePort();
      const portVariable = name === 'outbox-relay' ? 'HEALTH_PORT' : 'PORT';
      const started = await startService({
        root: options.root,
        name,
        stage,
        healthPort: port,
        // Always this run's broker: a service left to its default would use 127.0.0.1:9092.
        env: { KAFKA_BROKERS: options.brokers, ...env, [portVariable]: String(port) },
      });
      running.add(started);
      return { process: started, port };
    },
    stop,
    async close() {
      await Promise.all([...running].map(stop));
      await admin.disconnect();
      await Promise.all(databases.map((url) => dropDatabase(url)));
    },
  };
}
