import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** Sortable ids (ULID); a prefix says what the id names. */
export const newId = (prefix: string) => `${prefix}_${ulid()}`;

/** 256 random bits, URL-safe: used for bearer tokens, API keys and webhook URLs. */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

export const nowIso = () => new Date().toISOString();
