import type { Knex } from '@orderflow/platform';
import { UnknownSkuError } from './errors.js';

/** Stock of one SKU as the API shows it. */
export interface StockLevel {
  sku: string;
  /** Units free to reserve. */
  available: number;
  /** Units held for accepted orders. */
  reserved: number;
  updatedAt: string;
}

interface StockRow {
  sku: string;
  available: number;
  reserved: number;
  updated_at: Date;
}

const toLevel = (row: StockRow): StockLevel => ({
  sku: row.sku,
  available: row.available,
  reserved: row.reserved,
  updatedAt: row.updated_at.toISOString(),
});

/** Every SKU's stock, by SKU. */
export async function listStock(db: Knex): Promise<StockLevel[]> {
  const rows: StockRow[] = await db('stock').orderBy('sku');
  return rows.map(toLevel);
}

/** One SKU's stock, or UnknownSkuError. */
export async function getStock(db: Knex, sku: string): Promise<StockLevel> {
  const row: StockRow | undefined = await db('stock').where({ sku }).first();
  if (!row) throw new UnknownSkuError(sku);
  return toLevel(row);
}

/** Sets the units available for a SKU, creating it when new; reservations stay as they are. */
export async function setAvailable(db: Knex, sku: string, available: number): Promise<StockLevel> {
  const [row] = await db('stock')
    .insert({ sku, available })
    .onConflict('sku')
    .merge({ available, updated_at: db.fn.now() })
    .returning('*');
  return toLevel(row as StockRow);
}
