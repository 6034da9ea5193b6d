import { describe, expect, it } from 'vitest';
import { privateMediaHost } from '../../lib/contracts/app-media-url';
import { allowedMediaHost, privateMediaShown } from './media-allow-list';

// COMPANION_ALLOW_PRIVATE_URLS as the HTTP step reads it (address-policy.ts), applied to the host
// an app's media URL names: a listed name, or a written address in a listed IP or range.
describe('a private media host against the allow-list', () => {
  const host = (url: string) => privateMediaHost(url)!;
  it.each([
    ['127.0.0.1', 'https://127.0.0.1:9443/logo.png', true],
    ['127.0.0.1', 'https://0x7f.1/logo.png', true],
    ['127.0.0.1', 'https://10.0.0.5/logo.png', false],
    ['10.0.0.0/8', 'https://10.20.30.40/logo.png', true],
    ['10.0.0.0/8', 'https://192.168.1.1/logo.png', false],
    ['crm.corp.internal', 'https://crm.corp.internal/logo.png', true],
    ['CRM.corp.internal.', 'https://crm.corp.internal/logo.png', true],
    ['crm.corp.internal', 'https://wiki.corp.internal/logo.png', false],
    ['localhost', 'https://localhost:8443/cover.png', true],
    ['::1', 'https://[::1]/intro.mp4', true],
    ['fd00::/8', 'https://[fd00::7]/intro.mp4', true],
    // A range holds addresses, not names: the admin's browser resolves the name, not the server.
    ['10.0.0.0/8', 'https://crm.corp.internal/logo.png', false],
    ['', 'https://127.0.0.1/logo.png', false],
  ])('allow-list "%s", %s: %s', (list, url, allowed) => {
    expect(allowedMediaHost(list.split(','))(host(url))).toBe(allowed);
  });

  it('names the media the options page may load', () => {
    const allowed = allowedMediaHost(['127.0.0.1']);
    expect(privateMediaShown({ logoUrl: 'https://127.0.0.1:9443/logo.png', coverUrl: 'https://192.168.1.1/c.png', videoUrl: 'https://example.com/v' }, allowed)).toEqual(['logoUrl']);
    expect(privateMediaShown({}, allowed)).toEqual([]);
  });
});
