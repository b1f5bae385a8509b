import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { ContractError, ContractErrorCodes, topicsFor } from '@orderflow/contracts';
import { readMessages, testLogger, testServers, topicSize, uniqueName, waitFor, waitForGroupCaughtUp } from '@orderflow/testing';
import {
  createKafka,
  createProducer,
  DeadLetterHeaders,
  ensureTopics,
  startConsumerRunner,
  type BatchHandler,
  type InboundMessage,
  type MessageHandler,
  type RetryPolicy,
} from '../src/index.js';

const FAST_RETRIES: RetryPolicy = { maxRetries: 5, baseDelayMs: 10, maxDelayMs: 2000, jitterMs: 10 };

/** A deadlock as pg reports it: transient, so retried. */
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('consumer runner on a real Kafka broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const stops: (() => Promise<void>)[] = [];

  before(async () => {
    kafka = createKafka({ brokers: testServers().kafkaBrokers, clientId: 'runner-test', logger: testLogger() });
    admin = kafka.admin();
    await admin.connect();
    producer = createProducer(kafka);
    await producer.connect();
  });
  after(async () => {
    for (const stop of stops) await stop();
    await producer.disconnect();
    await admin.disconnect();
  });

  /** A fresh topic set with one partition, and a runner on it. */
  async function run(handler: MessageHandler, retry = FAST_RETRIES, batchHandler?: BatchHandler) {
    const topics = topicsFor(uniqueName('runner'));
    await ensureTopics(admin, [topics.main, topics.retry, topics.deadLetter].map((topic) => ({ topic, numPartitions: 1 })));
    const groupId = uniqueName('group');
    const runner = await rejoin(groupId, topics.main, handler, retry, batchHandler);
    return { topics, groupId, runner };
  }

  /** Another runner in an existing group, as after a restart. */
  async function rejoin(
    groupId: string,
    topic: string,
    handler: MessageHandler,
    retry = FAST_RETRIES,
    batchHandler?: BatchHandler,
  ) {
    const runner = await startConsumerRunner({
      kafka,
      producer,
      groupId,
      topic,
      handler,
      batchHandler,
      retry,
      logger: testLogger(),
    });
    stops.push(() => runner.stop());
    return runner;
  }

  it('a message that fails 4 times and then succeeds is handled once and never dead-lettered', async () => {
    const attempts: number[] = [];
    let handled = 0;
    const { topics, groupId } = await run(async (message) => {
      attempts.push(message.attempt);
      if (message.attempt < 4) throw deadlock();
      handled += 1;
    });

    await producer.send({ topic: topics.main, acks: -1, messages: [{ key: 'k', value: 'v' }] });

    await waitFor(() => handled === 1, { what: 'the message to succeed' });
    await waitForGroupCaughtUp(admin, groupId, [topics.main, topics.retry]);
    assert.deepEqual(attempts, [0, 1, 2, 3, 4]);
    assert.equal(handled, 1);
    assert.equal(await topicSize(admin, topics.deadLetter), 0);
  });

  it('a message that keeps failing is dead-lettered after the last retry with everything kept', async () => {
    const { topics } = await run(async () => {
      throw deadlock();
    }, { ...FAST_RETRIES, maxRetries: 2 });
    const value = Buffer.from([0x7b, 0x00, 0xff, 0x7d]);
    const [sent] = await producer.send({
      topic: topics.main,
      acks: -1,
      messages: [{ key: 'order-1', value, headers: { eventId: 'e-1', trace: Buffer.from([1, 2, 3]) } }],
    });

    const [dead] = await readMessages(kafka, topics.deadLetter, 1);
    const header = (name: string) => dead!.headers?.[name]?.toString();
    assert.equal(dead!.key?.toString(), 'order-1');
    assert.ok(dead!.value?.equals(value), 'value is byte-identical');
    assert.equal(header('eventId'), 'e-1');
    assert.ok(Buffer.compare(dead!.headers!.trace as Buffer, Buffer.from([1, 2, 3])) === 0);
    assert.equal(header(DeadLetterHeaders.attempts), '3');
    assert.equal(header(DeadLetterHeaders.sourceTopic), topics.main);
    assert.equal(header(DeadLetterHeaders.sourcePartition), String(sent!.partition));
    assert.equal(header(DeadLetterHeaders.sourceOffset), sent!.baseOffset);
    assert.equal(header(DeadLetterHeaders.errorMessage), 'deadlock detected');
    assert.equal(header(DeadLetterHeaders.errorCode), '40P01');
    assert.ok(!Number.isNaN(Date.parse(header(DeadLetterHeaders.failedAt) ?? '')));
    assert.ok(!Object.keys(dead!.headers ?? {}).some((name) => name.startsWith('retry.')));

    // The same record through an outside client, where kcat is installed (.ci/run installs it).
    const kcat = spawnSync(
      'kcat',
      ['-b', testServers().kafkaBrokers, '-t', topics.deadLetter, '-C', '-e', '-q', '-f', '%k|%h|%S\n'],
      { encoding: 'utf8', timeout: 30_000 },
    );
    if (kcat.error) return;
    const [key, headers, size] = kcat.stdout.trim().split('|');
    assert.equal(key, 'order-1');
    assert.match(headers!, /eventId=e-1/);
    assert.match(headers!, /dlq\.attempts=3/);
    assert.equal(Number(size), value.length);
  });

  it('a message that can never succeed is dead-lettered at once, without retries', async () => {
    const attempts: number[] = [];
    const { topics } = await run(async (message) => {
      attempts.push(message.attempt);
      throw new ContractError(ContractErrorCodes.notJson, 'message value is not JSON');
    });
    await producer.send({ topic: topics.main, acks: -1, messages: [{ key: 'k', value: 'not json' }] });

    const [dead] = await readMessages(kafka, topics.deadLetter, 1);
    assert.equal(dead!.value?.toString(), 'not json');
    assert.equal(dead!.headers?.[DeadLetterHeaders.attempts]?.toString(), '1');
    assert.equal(dead!.headers?.[DeadLetterHeaders.errorClass]?.toString(), 'ContractError');
    assert.deepEqual(attempts, [0]);
    assert.equal(await topicSize(admin, topics.retry), 0);
  });

  it('a failing message does not hold up the messages behind it on its partition', async () => {
    const seen: string[] = [];
    const { topics } = await run(
      async (message: InboundMessage) => {
        const key = message.key!.toString();
        seen.push(`${key}@${message.attempt}`);
        if (key === 'slow' && message.attempt === 0) throw deadlock();
      },
      { maxRetries: 1, baseDelayMs: 1500, maxDelayMs: 30_000, jitterMs: 0 },
    );
    await producer.send({
      topic: topics.main,
      acks: -1,
      messages: ['slow', 'a', 'b', 'c'].map((key) => ({ key, value: key })),
    });

    await waitFor(() => seen.includes('slow@1'), { what: 'the retry of the failing message' });
    assert.deepEqual(seen, ['slow@0', 'a@0', 'b@0', 'c@0', 'slow@1']);
  });

  it('a message keeps its attempt count across a consumer restart', async () => {
    const attempts: number[] = [];
    const failing = async (message: InboundMessage) => {
      attempts.push(message.attempt);
      throw deadlock();
    };
    const policy = { maxRetries: 3, baseDelayMs: 300, maxDelayMs: 30_000, jitterMs: 0 };
    const { topics, groupId, runner } = await run(failing, policy);
    await producer.send({ topic: topics.main, acks: -1, messages: [{ key: 'k', value: 'v' }] });
    await waitFor(() => attempts.length >= 1, { what: 'the first attempt' });

    await runner.stop();
    await rejoin(groupId, topics.main, failing, policy);

    const [dead] = await readMessages(kafka, topics.deadLetter, 1);
    assert.equal(dead!.headers?.[DeadLetterHeaders.attempts]?.toString(), '4');
    assert.deepEqual(attempts, [0, 1, 2, 3]);
  });

  it('a batch with a poison message in it: the rest are applied once, the poison is dead-lettered', async () => {
    const applied: string[] = [];
    const check = (message: InboundMessage) => {
      if (message.value?.toString() === 'poison') {
        throw new ContractError(ContractErrorCodes.notJson, 'message value is not JSON');
      }
      return message.key!.toString();
    };
    const { topics, groupId } = await run(
      async (message) => void applied.push(check(message)),
      FAST_RETRIES,
      async (messages) => {
        const keys = messages.map(check);
        applied.push(...keys);
      },
    );
    const messages = ['a', 'b', 'poison', 'c', 'd'].map((key) => ({ key, value: key === 'poison' ? 'poison' : key }));
    await producer.send({ topic: topics.main, acks: -1, messages });

    const [dead] = await readMessages(kafka, topics.deadLetter, 1);
    await waitForGroupCaughtUp(admin, groupId, [topics.main]);
    assert.equal(dead!.value?.toString(), 'poison');
    assert.deepEqual([...applied].sort(), ['a', 'b', 'c', 'd']);
  });

  it('when the dead-letter write fails, the offset is not committed and the message is tried again', async () => {
    const topics = topicsFor(uniqueName('runner'));
    await ensureTopics(admin, [topics.main, topics.retry, topics.deadLetter].map((topic) => ({ topic, numPartitions: 1 })));
    const groupId = uniqueName('group');
    // A producer that is not connected yet: every forward fails until it connects.
    const forwarder = createProducer(kafka);
    let attempts = 0;
    const runner = await startConsumerRunner({
      kafka,
      producer: forwarder,
      groupId,
      topic: topics.main,
      handler: async () => {
        attempts += 1;
        throw new ContractError(ContractErrorCodes.notJson, 'message value is not JSON');
      },
      retry: FAST_RETRIES,
      logger: testLogger(),
      unavailablePauseMs: 200,
    });
    stops.push(() => runner.stop());
    await producer.send({ topic: topics.main, acks: -1, messages: [{ key: 'k', value: 'poison' }] });

    await waitFor(() => attempts >= 3, { what: 'the message read again after failed forwards' });
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topics.main] });
    assert.ok(committed!.partitions.every((p) => p.offset === '-1'), 'nothing committed past the message');

    await forwarder.connect();
    stops.push(() => forwarder.disconnect());
    const [dead] = await readMessages(kafka, topics.deadLetter, 1);
    assert.equal(dead!.value?.toString(), 'poison');
    await waitForGroupCaughtUp(admin, groupId, [topics.main]);
  });
});
