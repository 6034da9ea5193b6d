import { describe, expect, it } from 'vitest';
import { AppManifestBody } from '../../../lib/contracts/apps';
import manifest from '../../../examples/payment-app/manifest.json';
import { manifestFromDraft } from './draft';
import { draftFromManifest } from './from-manifest';
import { appKeyFromName, itemKeyFromName } from './slug';

describe('the builder\'s draft', () => {
  it('holds the example payment app exactly: form and JSON carry the same manifest', () => {
    const read = draftFromManifest(manifest);
    expect(read.unshown).toEqual([]);
    expect(read.ignored).toEqual([]);
    const back = manifestFromDraft(read.draft);
    expect(back.problems).toEqual({});
    expect(back.manifest).toEqual(manifest);
    expect(AppManifestBody.parse(back.manifest)).toEqual(AppManifestBody.parse(manifest));
  });

  it('holds what the stored manifest adds (defaults) and gives it back', () => {
    const stored = AppManifestBody.parse(manifest);
    expect(manifestFromDraft(draftFromManifest(stored).draft).manifest).toEqual(stored);
  });
});

describe('keys made from names', () => {
  it.each([
    ['Payments', 'payments', 'payments'],
    ['Payment status', 'payment-status', 'payment_status'],
    ['  Café & Co!  ', 'cafe-co', 'cafe_co'],
    ['3D Secure', '3d-secure', '_3d_secure'],
    ['<b>Total</b>', 'b-total-b', 'b_total_b'],
    ['日本', '', ''],
  ])('%j -> app key %j, item key %j', (name, appKey, itemKey) => {
    expect(appKeyFromName(name)).toBe(appKey);
    expect(itemKeyFromName(name)).toBe(itemKey);
  });

  it('stays within the contract\'s lengths', () => {
    expect(appKeyFromName('a '.repeat(100)).length).toBeLessThanOrEqual(64);
    expect(itemKeyFromName('word '.repeat(20))).toMatch(/^[a-z_][a-z0-9_]{0,29}$/);
  });
});
