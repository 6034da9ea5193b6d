import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createVault, lastFour } from './vault';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(path.join(tmpdir(), 'vault-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('vault', () => {
  it('round-trips a secret and never stores it in clear', () => {
    const vault = createVault({ dataDir: tempDir() });
    const sealed = vault.seal('EAAG-page-token-1234');
    expect(sealed).not.toContain('EAAG');
    expect(vault.open(sealed)).toBe('EAAG-page-token-1234');
    expect(vault.seal('same')).not.toBe(vault.seal('same'));
  });

  it('creates DATA_DIR/secret-key with mode 0600 on first use only, and reuses it', () => {
    const dir = path.join(tempDir(), 'data');
    const vault = createVault({ dataDir: dir });
    expect(fs.existsSync(path.join(dir, 'secret-key'))).toBe(false);
    const sealed = vault.seal('x');
    expect(fs.statSync(path.join(dir, 'secret-key')).mode & 0o777).toBe(0o600);
    expect(createVault({ dataDir: dir }).open(sealed)).toBe('x');
  });

  it('uses COMPANION_SECRET_KEY when given, and refuses a tampered or foreign value', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const vault = createVault({ secretKey: key, dataDir: tempDir() });
    const sealed = vault.seal('secret');
    expect(() => createVault({ dataDir: tempDir() }).open(sealed)).toThrow();
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64url');
    expect(() => vault.open(parts.join('.'))).toThrow();
    expect(() => createVault({ secretKey: 'short', dataDir: tempDir() }).seal('x')).toThrow(/32 bytes/);
  });

  it('shows only the last four characters', () => {
    expect(lastFour('EAAGabcd1234')).toBe('••••1234');
    expect(lastFour('abc')).toBe('••••');
  });
});
