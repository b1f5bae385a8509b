/** Codes of the errors raised by the platform itself. */
export const PlatformErrorCodes = {
  config: 'PLATFORM_ERR_CONFIG',
  notFound: 'PLATFORM_ERR_NOT_FOUND',
  validation: 'PLATFORM_ERR_VALIDATION',
} as const;

/**
 * Base class of every error this project raises on purpose. `statusCode` is what an
 * HTTP caller sees; `retriable` tells a consumer whether trying again may succeed.
 */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly retriable: boolean;

  constructor(
    code: string,
    message: string,
    options: { statusCode?: number; retriable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.retriable = options.retriable ?? false;
  }
}

/** A configuration variable is missing or has a bad value. */
export class ConfigError extends AppError {
  constructor(message: string) {
    super(PlatformErrorCodes.config, message);
  }
}

/** The resource a request names does not exist. */
export class NotFoundError extends AppError {
  constructor(message: string) {
    super(PlatformErrorCodes.notFound, message, { statusCode: 404 });
  }
}
