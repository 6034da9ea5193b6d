import { randomBytes, randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid asks its PRNG for one byte at a time, and by default each ask is a WebCrypto call:
// 16 of them per millisecond cost ~3 µs of every webhook delivery. Same source, drawn in bulk.
const pool = new Uint8Array(4096);
let next = pool.length;
const pooledRandom = () => {
  if (next === pool.length) { randomFillSync(pool); next = 0; }
  return pool[next++]! / 256;
};

const ulid = monotonicFactory(pooledRandom);

/** Sortable ids (ULID); a prefix says what the id names. */
export const newId = (prefix: string) => `${prefix}_${ulid()}`;

/** 256 random bits, URL-safe: used for bearer tokens, API keys and webhook URLs. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

// Formatting a Date was a visible share of a run's CPU (several timestamps per step): the text is
// kept for the millisecond it names.
let lastMs = -1;
let lastIso = '';
export const nowIso = (): string => {
  const ms = Date.now();
  if (ms !== lastMs) { lastMs = ms; lastIso = new Date(ms).toISOString(); }
  return lastIso;
};
