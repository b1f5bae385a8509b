import type { IHeaders } from 'kafkajs';

/** One message as a handler sees it. */
export interface InboundMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  /** 0 for the first attempt, n for the n-th retry. */
  attempt: number;
}

/** Applies one message; throws to have it retried or dead-lettered. */
export type MessageHandler = (message: InboundMessage) => Promise<void>;

/**
 * Applies several messages of one partition at once, all or nothing (one database
 * transaction, say). When it throws, the runner handles those messages one by one with
 * the MessageHandler, so a single bad message is retried or dead-lettered on its own.
 */
export type BatchHandler = (messages: InboundMessage[]) => Promise<void>;

/** Counters a caller can hook metrics onto. */
export interface RunnerEvents {
  handled?(message: InboundMessage): void;
  retryScheduled?(message: InboundMessage, delayMs: number): void;
  deadLettered?(message: InboundMessage, err: unknown): void;
}
