import type { Migration } from '@orderflow/platform';

/** The inventory database's tables. */
export const inventoryMigrations: Migration[] = [
  {
    name: '0001_inventory',
    async up(knex) {
      await knex.raw(`
        create table stock (
          sku text primary key,
          available integer not null check (available >= 0),
          reserved integer not null default 0 check (reserved >= 0),
          updated_at timestamptz not null default now()
        )`);
      // One row per event ever applied: the primary key is the idempotency guard.
      await knex.raw(`
        create table processed_events (
          event_id uuid primary key,
          event_type text not null,
          processed_at timestamptz not null default now()
        )`);
      await knex.raw(`
        create table reservations (
          order_id uuid primary key,
          event_id uuid not null,
          status text not null check (status in ('RESERVED', 'REJECTED')),
          reason text,
          items jsonb not null,
          occurred_at timestamptz not null,
          applied_at timestamptz not null default now()
        )`);
    },
    async down(knex) {
      await knex.schema.dropTable('reservations');
      await knex.schema.dropTable('processed_events');
      await knex.schema.dropTable('stock');
    },
  },
];
