/** Default topic names; each can be overridden by configuration (tests use unique ones). */
export const DefaultTopics = {
  /** Order events, keyed by orderId. */
  orders: 'orders',
} as const;

/** Names of the topics that go with a main topic. */
export function topicsFor(mainTopic: string) {
  return {
    main: mainTopic,
    /** Messages waiting for their next attempt. */
    retry: `${mainTopic}.retry`,
    /** Messages that will not be attempted again without an operator. */
    deadLetter: `${mainTopic}.dlq`,
  };
}

/** Partitions of the main topic, so a consumer group can grow to that many members. */
export const DEFAULT_PARTITIONS = 6;
