import { AppError } from '@orderflow/platform';

/** Codes of the order service's errors. */
export const OrderErrorCodes = {
  notFound: 'ORDER_ERR_NOT_FOUND',
} as const;

/** No order has the requested id. */
export class OrderNotFoundError extends AppError {
  constructor(orderId: string) {
    super(OrderErrorCodes.notFound, `order ${orderId} does not exist`, { statusCode: 404 });
  }
}
