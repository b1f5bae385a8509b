/**
 * Finds a Kafka broker for local runs and tests: KAFKA_BROKERS when set, else a real
 * broker started here from Maven Central jars (java and mvn needed).
 */
import { spawnSync } from 'node:child_process';
import { startBroker, type BrokerOptions } from './broker.js';

/** A broker to use, and how to stop it when this process started it. */
export interface FoundKafka {
  brokers: string;
  stop(): Promise<void>;
  /** Where it came from, for the start-up line. */
  source: string;
  /** Resolves if a broker started here exits; never for one given by KAFKA_BROKERS. */
  exited: Promise<void>;
}

/** KAFKA_BROKERS, or a local broker; an Error saying what to install when neither works. */
export async function findKafka(local: BrokerOptions, env = process.env): Promise<FoundKafka> {
  if (env.KAFKA_BROKERS) {
    return { brokers: env.KAFKA_BROKERS, stop: async () => {}, source: 'KAFKA_BROKERS', exited: new Promise(() => {}) };
  }
  const missing = ['java', 'mvn'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
  );
  if (missing.length > 0) {
    throw new Error(
      `no Kafka broker: set KAFKA_BROKERS, or install ${missing.join(' and ')} (Java 17+, Maven) to run one from jars`,
    );
  }
  const broker = await startBroker(local);
  return {
    brokers: broker.brokers,
    stop: () => broker.stop(),
    source: `local broker (${local.dataDir})`,
    exited: broker.exited,
  };
}
