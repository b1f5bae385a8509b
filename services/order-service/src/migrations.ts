import type { Migration } from '@orderflow/platform';

/** The orders database's own tables; the outbox table has its own migrations. */
export const orderMigrations: Migration[] = [
  {
    name: '0001_orders',
    async up(knex) {
      await knex.raw(`
        create table orders (
          id uuid primary key,
          customer_id text not null,
          status text not null,
          correlation_id text not null,
          created_at timestamptz not null default now()
        )`);
      await knex.raw(`
        create table order_items (
          order_id uuid not null references orders(id) on delete cascade,
          line smallint not null,
          sku text not null,
          quantity integer not null check (quantity > 0),
          primary key (order_id, line)
        )`);
    },
    async down(knex) {
      await knex.schema.dropTable('order_items');
      await knex.schema.dropTable('orders');
    },
  },
  {
    name: '0002_idempotency_keys',
    async up(knex) {
      // One row per Idempotency-Key, written in the same transaction as the order it made.
      await knex.raw(`
        create table idempotency_keys (
          key text primary key,
          request_hash text not null,
          response jsonb not null,
          created_at timestamptz not null default now()
        )`);
      await knex.raw('create index idempotency_keys_created_at on idempotency_keys (created_at)');
    },
    async down(knex) {
      await knex.schema.dropTable('idempotency_keys');
    },
  },
];
