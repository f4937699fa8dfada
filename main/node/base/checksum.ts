import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/base/canonical-json.js';

/** `sha256:<hex>` over the canonical JSON of a record without its `checksum` field. */
export function recordChecksum(record: object): string {
  const { checksum: _ignored, ...rest } = record as Record<string, unknown>;
  return `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`;
}

/** Returns the record with its checksum field set. */
export function withChecksum<T extends { checksum: string }>(record: Omit<T, 'checksum'>): T {
  return { ...record, checksum: recordChecksum(record) } as T;
}

export function hasValidChecksum(record: unknown): boolean {
  if (record === null || typeof record !== 'object') return false;
  const sum = (record as { checksum?: unknown }).checksum;
  return typeof sum === 'string' && sum === recordChecksum(record);
}
