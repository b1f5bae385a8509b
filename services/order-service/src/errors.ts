import { AppError } from '@orderflow/platform';

/** Codes of the order service's errors. */
export const OrderErrorCodes = {
  notFound: 'ORDER_ERR_NOT_FOUND',
  idempotencyKeyReused: 'ORDER_ERR_IDEMPOTENCY_KEY_REUSED',
  idempotencyKeyInvalid: 'ORDER_ERR_IDEMPOTENCY_KEY_INVALID',
} as const;

/** No order has the requested id. */
export class OrderNotFoundError extends AppError {
  constructor(orderId: string) {
    super(OrderErrorCodes.notFound, `order ${orderId} does not exist`, { statusCode: 404 });
  }
}

/** An Idempotency-Key came back with a different request body. */
export class IdempotencyKeyReusedError extends AppError {
  constructor() {
    super(
      OrderErrorCodes.idempotencyKeyReused,
      'this Idempotency-Key was used for a different request; use a new key for a new order',
      { statusCode: 422 },
    );
  }
}

/** An Idempotency-Key header that is empty, too long or not printable ASCII. */
export class IdempotencyKeyInvalidError extends AppError {
  constructor() {
    super(OrderErrorCodes.idempotencyKeyInvalid, 'Idempotency-Key must be 1 to 255 printable ASCII characters', {
      statusCode: 400,
    });
  }
}
