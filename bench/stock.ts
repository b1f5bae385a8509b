/**
 * An inventory database prepared before its service starts: migrated, with ample stock
 * for every SKU the benchmark orders, so every event reserves and none is rejected.
 */
import type { Logger } from '@orderflow/platform';
import { openInventoryDatabase } from '../services/inventory-service/src/database.js';
import { BACKLOG_SKUS } from './backlog.js';

const AMPLE = 1_000_000_000;

/** Creates and migrates the database at `url` and stocks SKU-0 … SKU-99. */
export async function stockInventory(url: string, logger: Logger): Promise<void> {
  const db = await openInventoryDatabase(url, logger, 2);
  try {
    const rows = Array.from({ length: BACKLOG_SKUS }, (_, i) => ({
      sku: `SKU-${i}`,
      available: AMPLE,
    }));
    await db('stock').insert(rows);
  } finally {
    await db.destroy();
  }
}
