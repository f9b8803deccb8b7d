import type { Guid } from './types.ts';

// crypto is a standard global in browsers and in Node ≥ 19; declared here because
// shared/ compiles without the DOM library.
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };

const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A random UUID v4, lower case. */
export function newGuid(): Guid {
  return guidFromBytes(crypto.getRandomValues(new Uint8Array(16)));
}

/** Formats 16 bytes as a UUID v4 (version and variant bits are set here). */
export function guidFromBytes(bytes: Uint8Array): Guid {
  if (bytes.length < 16) throw new Error('a GUID needs 16 bytes');
  const b = Array.from(bytes.slice(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** True for any RFC 4122 shaped GUID (REFI-QDA files use upper case; both are accepted). */
export function isGuid(value: unknown): value is Guid {
  return typeof value === 'string' && GUID_PATTERN.test(value);
}

/** GUIDs are compared and stored in lower case. */
export function normaliseGuid(value: string): Guid {
  return value.toLowerCase();
}


