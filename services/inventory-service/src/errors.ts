import { AppError } from '@orderflow/platform';

/** Codes of the inventory service's errors. */
export const InventoryErrorCodes = {
  unknownSku: 'INVENTORY_ERR_UNKNOWN_SKU',
  unknownReservation: 'INVENTORY_ERR_UNKNOWN_RESERVATION',
} as const;

/** No stock row exists for the SKU. */
export class UnknownSkuError extends AppError {
  constructor(sku: string) {
    super(InventoryErrorCodes.unknownSku, `no stock is recorded for SKU ${sku}`, { statusCode: 404 });
  }
}

/** Inventory has not handled an order with this id. */
export class UnknownReservationError extends AppError {
  constructor(orderId: string) {
    super(InventoryErrorCodes.unknownReservation, `no reservation is recorded for order ${orderId}`, {
      statusCode: 404,
    });
  }
}
