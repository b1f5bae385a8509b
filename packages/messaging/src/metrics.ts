import type { Admin } from 'kafkajs';
import { Counter, Gauge, type Registry } from '@orderflow/platform';
import type { RunnerEvents } from './types.js';

/** Options of registerConsumerMetrics. */
export interface ConsumerMetricsOptions {
  registry: Registry;
  /** Used at each scrape to read the group's lag. */
  admin: Admin;
  groupId: string;
  topics: string[];
}

/**
 * Consumer metrics: messages handled, retries scheduled, dead letters, and the group's
 * lag per topic, read from Kafka at each scrape. Returns the runner's event hooks.
 */
export function registerConsumerMetrics(options: ConsumerMetricsOptions): RunnerEvents {
  const { registry } = options;
  const labelNames = ['topic'] as const;
  const handled = new Counter({
    name: 'consumer_messages_handled_total',
    help: 'Messages whose handler succeeded',
    labelNames,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'consumer_retries_scheduled_total',
    help: 'Failed messages sent to the retry topic',
    labelNames,
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'consumer_dead_lettered_total',
    help: 'Messages written to the dead-letter topic',
    labelNames,
    registers: [registry],
  });
  new Gauge({
    name: 'consumer_lag_messages',
    help: 'Messages in the topic not yet committed by the consumer group',
    labelNames,
    registers: [registry],
    async collect() {
      const committed = await options.admin.fetchOffsets({ groupId: options.groupId, topics: options.topics });
      for (const topic of options.topics) {
        const ends = await options.admin.fetchTopicOffsets(topic);
        const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
        const lag = ends.reduce((sum, end) => {
          const at = BigInt(done.find((p) => p.partition === end.partition)?.offset ?? '-1');
          const from = at < 0n ? BigInt(end.low) : at;
          return sum + Number(BigInt(end.high) - from);
        }, 0);
        this.set({ topic }, lag);
      }
    },
  });

  return {
    handled: (message) => handled.inc({ topic: message.topic }),
    retryScheduled: (message) => retries.inc({ topic: message.topic }),
    deadLettered: (message) => deadLettered.inc({ topic: message.topic }),
  };
}
