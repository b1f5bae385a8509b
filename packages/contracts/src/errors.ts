/** Codes of the ways a message can break the event contract. */
export const ContractErrorCodes = {
  notJson: 'CONTRACT_ERR_NOT_JSON',
  noValue: 'CONTRACT_ERR_NO_VALUE',
  invalid: 'CONTRACT_ERR_INVALID',
  unknownType: 'CONTRACT_ERR_UNKNOWN_EVENT_TYPE',
} as const;

export type ContractErrorCode = (typeof ContractErrorCodes)[keyof typeof ContractErrorCodes];

/** A message that can never be processed: retrying it cannot help. */
export class ContractError extends Error {
  readonly code: ContractErrorCode;
  readonly retriable = false;

  constructor(code: ContractErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ContractError';
    this.code = code;
  }
}
