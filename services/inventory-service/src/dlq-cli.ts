/**
 * `pnpm dlq list|redrive [--event-id ID ...] [--since TIME] [--until TIME] [--all] [--json]`
 *
 * Shows the dead letters of the orders topic, and sends chosen ones back to it for
 * another attempt. Redriving is safe even for an event that was applied after all: the
 * consumer records each eventId once. Reads KAFKA_BROKERS and ORDERS_TOPIC.
 */
import { parseArgs } from 'node:util';
import { topicsFor } from '@orderflow/contracts';
import {
  createKafka,
  createProducer,
  matchesFilter,
  readDeadLetters,
  redrive,
  type DeadLetter,
  type DeadLetterFilter,
} from '@orderflow/messaging';
import { createLogger } from '@orderflow/platform';
import { readConfig } from './config.js';

const USAGE = `usage: pnpm dlq list|redrive [--event-id ID ...] [--since TIME] [--until TIME] [--all] [--json]
  list      show dead letters (all of them unless filtered)
  redrive   send the matching dead letters back to the orders topic; needs a filter or --all
  TIME      an ISO date or date-time, e.g. 2026-12-04T10:00:00Z`;

const logger = createLogger('dlq', 'warn');

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseTime(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) fail(`--${name} is not a date: ${value}`);
  return time;
}

function describe(letter: DeadLetter): string {
  return [
    `${letter.partition}:${letter.offset}`,
    letter.failedAt ?? '-',
    letter.eventId ?? '-',
    letter.eventType ?? '-',
    `attempts=${letter.attempts}`,
    `${letter.errorClass ?? 'Error'}: ${letter.error ?? '-'}`,
  ].join('  ');
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'event-id': { type: 'string', multiple: true },
      since: { type: 'string' },
      until: { type: 'string' },
      all: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const command = positionals[0];
  if (command !== 'list' && command !== 'redrive') fail(`unknown command: ${command ?? '(none)'}`);

  const filter: DeadLetterFilter = {
    eventIds: values['event-id'],
    since: parseTime('since', values.since),
    until: parseTime('until', values.until),
  };
  const filtered = Boolean(filter.eventIds?.length || filter.since || filter.until);
  if (command === 'redrive' && !filtered && !values.all) fail('redrive needs --event-id, --since, --until or --all');

  const config = readConfig();
  const topics = topicsFor(config.ORDERS_TOPIC);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'dlq-cli', logger });
  const letters = (await readDeadLetters(kafka, topics.deadLetter)).filter((l) => matchesFilter(l, filter));

  for (const letter of letters) {
    const line = values.json
      ? JSON.stringify({ ...letter, key: letter.key?.toString(), value: letter.value?.toString(), headers: undefined })
      : describe(letter);
    process.stdout.write(`${line}\n`);
  }

  if (command === 'redrive') {
    const producer = createProducer(kafka);
    await producer.connect();
    try {
      await redrive(producer, topics.main, letters);
    } finally {
      await producer.disconnect();
    }
    process.stderr.write(`redrove ${letters.length} dead letter(s) to ${topics.main}\n`);
  } else {
    process.stderr.write(`${letters.length} dead letter(s) in ${topics.deadLetter}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`dlq: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
