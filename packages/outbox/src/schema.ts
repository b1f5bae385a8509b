import type { Migration } from '@orderflow/platform';

/** Table the outbox rows live in, in the writing service's database. */
export const OUTBOX_TABLE = 'outbox';

/** Channel the writing transaction notifies, payload-free, when it adds rows. */
export const OUTBOX_CHANNEL = 'outbox_rows';

/**
 * Migrations of the outbox table. Both the writer and the relay run them (knex's
 * migration lock makes that safe), so neither depends on the other starting first.
 */
export const outboxMigrations: Migration[] = [
  {
    name: '0001_outbox',
    async up(knex) {
      await knex.raw(`
        create table ${OUTBOX_TABLE} (
          id bigserial primary key,
          event_id uuid not null unique,
          topic text not null,
          message_key text not null,
          -- json, not jsonb: the text is published byte for byte as it was written.
          payload json not null,
          headers jsonb not null default '{}',
          created_at timestamptz not null default now(),
          published_at timestamptz
        )`);
      // The relay reads only unpublished rows, oldest first; the partial index stays small.
      await knex.raw(`create index outbox_unpublished on ${OUTBOX_TABLE} (id) where published_at is null`);
      await knex.raw(
        `create index outbox_published_at on ${OUTBOX_TABLE} (published_at) where published_at is not null`,
      );
    },
    async down(knex) {
      await knex.schema.dropTable(OUTBOX_TABLE);
    },
  },
];

/** Migration table name of the outbox, kept apart from the owning service's own. */
export const OUTBOX_MIGRATIONS_TABLE = 'knex_migrations_outbox';
