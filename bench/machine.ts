/** What the figures ran on, so that a quoted run says which machine it came from. */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** CPU, memory, load at start, and the versions of Node, Postgres and Kafka. */
export async function describeMachine(root: string, postgresUrl: string, kafkaSource: string) {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  let postgres: string;
  try {
    postgres = (await client.query('show server_version')).rows[0].server_version as string;
  } finally {
    await client.end();
  }
  const pom = readFileSync(join(root, 'infra', 'kafka', 'pom.xml'), 'utf8');
  const kafka = /<kafka\.version>([^<]+)</.exec(pom)?.[1] ?? 'unknown';
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    // Another workload on the machine shows here; the figures are only as quiet as it was.
    loadAverage1m: Number(loadavg()[0]!.toFixed(2)),
    kernel: release(),
    node: process.version,
    postgres,
    kafka:
      kafkaSource === 'KAFKA_BROKERS' ? 'KAFKA_BROKERS' : `${kafka}, single-node KRaft from jars`,
  };
}
