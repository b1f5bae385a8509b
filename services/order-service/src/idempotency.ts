import { createHash } from 'node:crypto';
import type { Knex } from '@orderflow/platform';
import { IdempotencyKeyInvalidError, IdempotencyKeyReusedError } from './errors.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The key, checked, or IdempotencyKeyInvalidError. */
export function checkIdempotencyKey(key: string): string {
  if (!KEY_PATTERN.test(key)) throw new IdempotencyKeyInvalidError();
  return key;
}

/** A fingerprint of a request body that ignores the order of object keys. */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/**
 * Claims a key inside the caller's transaction. Resolves to undefined when the key is new
 * (the caller goes on and stores its response body with storeResponse), or to the body
 * stored earlier for the same request. A second request racing the first waits on the
 * key's unique index until the first commits, then sees its response.
 */
export async function claimKey(trx: Knex.Transaction, key: string, hash: string): Promise<unknown> {
  const claimed = await trx.raw(
    `insert into idempotency_keys (key, request_hash, response) values (?, ?, 'null')
     on conflict do nothing returning key`,
    [key, hash],
  );
  if (claimed.rows.length > 0) return undefined;

  const existing = await trx('idempotency_keys').where({ key }).first();
  if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError();
  return existing.response;
}

/** Records the response body to send again when the key comes back. */
export async function storeResponse(trx: Knex.Transaction, key: string, body: unknown): Promise<void> {
  await trx('idempotency_keys').where({ key }).update({ response: JSON.stringify(body) });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
