/**
 * The ceiling of the relay: the same messages, in batches of the same size, sent one
 * batch after another through the same idempotent producer with acks=all, with no
 * database in between.
 */
import type { Message, Producer } from 'kafkajs';

/** Sends every message in `batchSize` batches; resolves to the elapsed milliseconds. */
export async function sendInBatches(
  producer: Producer,
  topic: string,
  messages: Message[],
  batchSize: number,
): Promise<number> {
  const started = performance.now();
  for (let at = 0; at < messages.length; at += batchSize) {
    await producer.sendBatch({
      acks: -1,
      topicMessages: [{ topic, messages: messages.slice(at, at + batchSize) }],
    });
  }
  return performance.now() - started;
}
