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
];
