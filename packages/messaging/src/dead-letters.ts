import { randomBytes } from 'node:crypto';
import type { IHeaders, Kafka, Producer } from 'kafkajs';
import { EventHeaders } from '@orderflow/contracts';
import { DeadLetterHeaders, headerInt, headerText, originalHeaders } from './headers.js';

/** A message in a dead-letter topic, with what its headers say about the failure. */
export interface DeadLetter {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  eventId: string | undefined;
  eventType: string | undefined;
  error: string | undefined;
  errorClass: string | undefined;
  attempts: number;
  /** ISO time of the last failure. */
  failedAt: string | undefined;
  source: string | undefined;
}

/** Which dead letters to pick; every given condition must hold. */
export interface DeadLetterFilter {
  eventIds?: string[];
  /** Failed at or after this time. */
  since?: Date;
  /** Failed before this time. */
  until?: Date;
}

/** Headers a redriven message carries, saying which dead letter it came from. */
export const RedriveHeaders = {
  from: 'redrive.from',
  at: 'redrive.at',
} as const;

/**
 * Reads every message now in a dead-letter topic, from its start to the end it has when
 * called, with a throwaway consumer group that is deleted afterwards.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<DeadLetter[]> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `dlq-reader-${randomBytes(6).toString('hex')}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new Error(`topic ${topic} does not exist: has the consumer run against this broker?`);
    }
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic))
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => [p.partition, BigInt(p.high) - 1n]),
    );
    if (ends.size === 0) return [];

    const letters: DeadLetter[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200 });
    await consumer.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`reading ${topic} took over ${timeoutMs} ms`)), timeoutMs);
        const pending = new Set(ends.keys());
        void consumer.subscribe({ topic, fromBeginning: true }).then(() =>
          consumer.run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const end = ends.get(partition);
              if (end === undefined || BigInt(message.offset) > end) return;
              letters.push(toDeadLetter(partition, message));
              if (BigInt(message.offset) === end) pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                resolve();
              }
            },
          }),
        ).catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return letters.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

/** Whether a dead letter passes the filter. */
export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  if (filter.eventIds?.length && !filter.eventIds.includes(letter.eventId ?? '')) return false;
  const failedAt = letter.failedAt ? Date.parse(letter.failedAt) : Number.NaN;
  if (filter.since && !(failedAt >= filter.since.getTime())) return false;
  if (filter.until && !(failedAt < filter.until.getTime())) return false;
  return true;
}

/**
 * Sends dead letters back to the main topic for another round: same key, byte-identical
 * value, the original headers, plus where it came from. The consumer's idempotency makes
 * this safe even for an event that had in fact been applied.
 */
export async function redrive(producer: Producer, mainTopic: string, letters: DeadLetter[]): Promise<void> {
  if (letters.length === 0) return;
  const at = new Date().toISOString();
  await producer.send({
    topic: mainTopic,
    acks: -1,
    messages: letters.map((letter) => ({
      key: letter.key,
      value: letter.value,
      headers: {
        ...originalHeaders(letter.headers),
        [RedriveHeaders.from]: `${letter.partition}:${letter.offset}`,
        [RedriveHeaders.at]: at,
      },
    })),
  });
}

function toDeadLetter(
  partition: number,
  message: { offset: string; key: Buffer | null; value: Buffer | null; headers?: IHeaders },
): DeadLetter {
  const headers = message.headers ?? {};
  const inValue = envelopeFields(message.value);
  const source = [DeadLetterHeaders.sourceTopic, DeadLetterHeaders.sourcePartition, DeadLetterHeaders.sourceOffset]
    .map((name) => headerText(headers, name))
    .join(':');
  return {
    partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers,
    eventId: headerText(headers, EventHeaders.eventId) ?? inValue.eventId,
    eventType: headerText(headers, EventHeaders.eventType) ?? inValue.eventType,
    error: headerText(headers, DeadLetterHeaders.errorMessage),
    errorClass: headerText(headers, DeadLetterHeaders.errorClass),
    attempts: headerInt(headers, DeadLetterHeaders.attempts, 0),
    failedAt: headerText(headers, DeadLetterHeaders.failedAt),
    source: source === '::' ? undefined : source,
  };
}

/** eventId and eventType inside a JSON value, for dead letters produced without headers. */
function envelopeFields(value: Buffer | null): { eventId?: string; eventType?: string } {
  let parsed: { eventId?: unknown; eventType?: unknown } | null;
  try {
    parsed = JSON.parse(value?.toString() ?? '');
  } catch {
    return {}; // not JSON: such a letter has no eventId to filter by
  }
  const text = (field: unknown) => (typeof field === 'string' ? field : undefined);
  return { eventId: text(parsed?.eventId), eventType: text(parsed?.eventType) };
}
