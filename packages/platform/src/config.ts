import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ConfigError } from './errors.js';

/**
 * Reads configuration from environment variables, once, at start. The schema holds
 * every variable with its default beside it; values are converted from strings and
 * then checked, and the first bad one stops the caller with a ConfigError naming it.
 */
export function loadConfig<T extends TProperties>(
  schema: TObject<T>,
  env: NodeJS.ProcessEnv = process.env,
): Static<TObject<T>> {
  const raw: Record<string, unknown> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value;
  }

  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  const firstError = Value.Errors(schema, converted).First();
  if (firstError) {
    const name = firstError.path.split('/')[1] ?? '(unknown)';
    const given = env[name];
    const shown = given === undefined || given === '' ? 'it is not set' : `got "${given}"`;
    throw new ConfigError(`invalid configuration: ${name} ${firstError.message.toLowerCase()} (${shown})`);
  }
  return converted as Static<TObject<T>>;
}

/** Schema helpers for the shapes that environment variables take. */
export const Env = {
  /** A TCP port; 0 lets the kernel choose. */
  port: (defaultValue: number, description: string) =>
    Type.Integer({ minimum: 0, maximum: 65535, default: defaultValue, description }),
  /** A duration in milliseconds (variables holding one end in `_MS`). */
  durationMs: (defaultValue: number, description: string, minimum = 0) =>
    Type.Integer({ minimum, default: defaultValue, description }),
  /** A whole number within bounds. */
  integer: (defaultValue: number, description: string, minimum = 0, maximum?: number) =>
    Type.Integer({ minimum, maximum, default: defaultValue, description }),
  /** A non-empty string. */
  string: (defaultValue: string, description: string) =>
    Type.String({ minLength: 1, default: defaultValue, description }),
  /** `true` or `false`. */
  boolean: (defaultValue: boolean, description: string) =>
    Type.Boolean({ default: defaultValue, description }),
  /** A pino log level. */
  logLevel: () =>
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info', description: 'pino log level' },
    ),
};
