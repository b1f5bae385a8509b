/**
 * A real single-node Apache Kafka broker (KRaft) run from Maven Central jars on the
 * machine's Java, for machines without Docker. The jars are fetched once into
 * infra/kafka/.cache/lib by Maven (see pom.xml); each broker writes its data into
 * the folder it is given.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, '.cache');
const libDir = join(cacheDir, 'lib');
const stampFile = join(cacheDir, 'lib.stamp');

/** Options of one broker process. */
export interface BrokerOptions {
  /** Folder for the broker's log.dirs, config and output; reused when it exists. */
  dataDir: string;
  /** Client port; 0 picks a free one. */
  port?: number;
  /** Controller (KRaft quorum) port; 0 picks a free one. */
  controllerPort?: number;
  /** Where the broker's stdout and stderr go; defaults to dataDir/broker.log. */
  logFile?: string;
}

/** A running broker. */
export interface Broker {
  /** `host:port` for clients. */
  brokers: string;
  port: number;
  process: ChildProcess;
  /** Resolves when the broker process exits, for whatever reason. */
  exited: Promise<void>;
  /** Stops the broker with SIGTERM (a clean shutdown) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Fetches the broker jars with Maven unless the cache already matches pom.xml. */
export function ensureJars(log: (line: string) => void = () => {}): string {
  const pom = readFileSync(join(here, 'pom.xml'));
  const digest = createHash('sha256').update(pom).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) return libDir;

  if (!hasCommand('java') || !hasCommand('mvn')) {
    throw new Error('a local Kafka broker needs java (17+) and mvn: install them or set KAFKA_BROKERS');
  }
  log('fetching Kafka broker jars with Maven (first run only)');
  const result = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-Dstyle.color=never',
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libDir}`,
      '-DincludeScope=runtime',
    ],
    { cwd: here, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`mvn failed with exit code ${result.status}`);
  writeFileSync(stampFile, digest);
  return libDir;
}

/** Starts a broker and resolves once it accepts client connections. */
export async function startBroker(options: BrokerOptions): Promise<Broker> {
  const lib = ensureJars();
  const port = options.port || (await freePort());
  const controllerPort = options.controllerPort || (await freePort());
  for (const taken of [port, controllerPort]) {
    // Something already answering there would pass for this broker being ready.
    if (await canConnect(taken)) {
      throw new Error(`port ${taken} is already in use: stop what holds it, or set KAFKA_BROKERS to use that broker`);
    }
  }
  const logDirs = join(options.dataDir, 'logs');
  mkdirSync(logDirs, { recursive: true });

  const properties = join(options.dataDir, 'server.properties');
  writeFileSync(properties, serverProperties(logDirs, port, controllerPort));
  const log4j = join(options.dataDir, 'log4j2.properties');
  writeFileSync(log4j, LOG4J2);

  const classpath = join(lib, '*');
  const jvm = ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'];
  jvm.push('-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`);

  // A fixed cluster id per data folder lets a stopped broker start again on the same data.
  const idFile = join(options.dataDir, 'cluster.id');
  if (!existsSync(idFile)) writeFileSync(idFile, kafkaUuid());
  const clusterId = readFileSync(idFile, 'utf8').trim();
  const format = spawnSync(
    'java',
    [...jvm, '-cp', classpath, 'kafka.tools.StorageTool', 'format', '--ignore-formatted',
      '--standalone', '-t', clusterId, '-c', properties],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) {
    throw new Error(`kafka storage format failed: ${format.stderr || format.stdout}`);
  }

  const logFile = options.logFile ?? join(options.dataDir, 'broker.log');
  const out = createWriteStream(logFile);
  const child = spawn('java', [...jvm, '-cp', classpath, 'kafka.Kafka', properties], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, 60_000, exited, logFile);

  return {
    brokers: `127.0.0.1:${port}`,
    port,
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function serverProperties(logDirs: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${logDirs}`,
    'num.partitions=6',
    // One node: the internal topics cannot have more replicas than that, or consumer
    // groups and idempotent producers wait forever for a coordinator.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=6',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

const LOG4J2 = [
  'status = warn',
  'appender.out.type = Console',
  'appender.out.name = OUT',
  'appender.out.layout.type = PatternLayout',
  'appender.out.layout.pattern = [%d] %p %m (%c)%n',
  'rootLogger.level = WARN',
  'rootLogger.appenderRef.out.ref = OUT',
  'logger.server.name = kafka.server.KafkaRaftServer',
  'logger.server.level = INFO',
  '',
].join('\n');

/** Kafka cluster ids are 16 random bytes in unpadded URL-safe base64. */
function kafkaUuid(): string {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number, exited: Promise<void>, logFile: string): Promise<void> {
  let dead = false;
  void exited.then(() => (dead = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`the Kafka broker exited during start (is port ${port} taken?); see ${logFile}`);
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the Kafka broker did not open port ${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
