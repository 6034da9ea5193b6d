import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../http/trust-proxy';

/**
 * Seals credentials (channel tokens, app secrets, Chatwoot tokens, webhook secrets) with
 * AES-256-GCM under a key that never enters the database: `COMPANION_SECRET_KEY` (32 bytes,
 * base64 or hex), or `DATA_DIR/secret-key`, generated with mode 0600 on first use. A stolen
 * database file alone reveals no credential.
 */
export interface Vault {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const PREFIX = 'v1';

export function decodeKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new Error('COMPANION_SECRET_KEY must be 32 bytes, as 64 hex characters or base64');
  return key;
}

/** Where the key lives when COMPANION_SECRET_KEY is unset. */
export const keyFile = (dataDir: string) => path.join(dataDir, 'secret-key');

/** DATA_DIR/secret-key, or undefined when there is none; a file that holds no key stops the start (ConfigError). */
export function readKeyFile(dataDir: string): Buffer | undefined {
  const file = keyFile(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    // No such file, or DATA_DIR is not there yet (ENOTDIR: making it says what is in the way).
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw err;
  }
  try {
    return decodeKey(text);
  } catch {
    throw new ConfigError(`${file} does not hold a 32-byte key (64 hex characters or base64): restore the file this data was sealed with, or set COMPANION_SECRET_KEY`);
  }
}

/** Reads DATA_DIR/secret-key, creating it (0600, directory 0700) when missing. */
export function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = keyFile(dataDir);
  const existing = readKeyFile(dataDir);
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  try {
    // 'wx': two processes starting together must not each write a different key.
    fs.writeFileSync(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return decodeKey(fs.readFileSync(file, 'utf8'));
    throw err;
  }
}

/** The key is read on first use, so processes that never touch a credential never create the file. */
export function createVault(keySource: { secretKey?: string | undefined; dataDir: string }): Vault {
  let key: Buffer | undefined;
  const getKey = () => (key ??= keySource.secretKey ? decodeKey(keySource.secretKey) : loadOrCreateKeyFile(keySource.dataDir));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', getKey(), iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [PREFIX, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
    },
    open(sealed) {
      const [prefix, iv, tag, body] = sealed.split('.');
      if (prefix !== PREFIX || iv === undefined || tag === undefined || body === undefined) throw new Error('Not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', getKey(), Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

/** What the API shows of a stored secret: its last four characters. */
export const lastFour = (secret: string) => (secret.length <= 4 ? '••••' : `••••${secret.slice(-4)}`);
