import { describe, expect, it } from 'vitest';
import { privateMediaHost, privateMediaUrlProblem } from './app-media-url';

describe('a manifest media URL the admin\'s browser would load', () => {
  it.each([
    'https://192.168.1.1/cgi-bin/reboot', 'https://10.0.0.5/logo.png', 'https://172.20.1.1/x', 'https://127.0.0.1:8443/x',
    'https://169.254.169.254/latest/meta-data', 'https://100.64.0.1/x', 'https://0.0.0.0/x',
    // The URL parser reads these as 127.0.0.1, as the browser does.
    'https://0x7f.1/x', 'https://2130706433/x', 'https://127.1/x',
    'https://localhost/x', 'https://printer.local/x', 'https://wiki.corp.internal/x', 'https://router.home.arpa/x', 'https://LOCALHOST./x',
    'https://[::1]/x', 'https://[fd00::1]/x', 'https://[fe80::1]/x', 'https://[::ffff:192.168.0.1]/x', 'https://[::ffff:7f00:1]/x',
  ])('%s is refused, naming the host', (url) => {
    expect(privateMediaUrlProblem(url)).toMatch(/is a private, loopback or local-network address: .* Use a public https:\/\/ address, or, if the host is on your own network, have the server's operator add ".+" to COMPANION_ALLOW_PRIVATE_URLS$/);
  });

  it('takes a private host the allow-list check permits, and names it as written for the check', () => {
    const seen: string[] = [];
    const allowed = (host: string) => { seen.push(host); return host === 'crm.corp.internal'; };
    expect(privateMediaUrlProblem('https://crm.corp.internal/logo.png', allowed)).toBeUndefined();
    expect(privateMediaUrlProblem('https://wiki.corp.internal/logo.png', allowed)).toMatch(/^wiki\.corp\.internal is a private.* add "wiki\.corp\.internal" to COMPANION_ALLOW_PRIVATE_URLS$/);
    expect(privateMediaUrlProblem('https://example.com/logo.png', allowed)).toBeUndefined();
    expect(seen).toEqual(['crm.corp.internal', 'wiki.corp.internal']);
    expect(privateMediaHost('https://0x7f.1:9443/x')).toBe('127.0.0.1');
  });

  it.each([
    'https://example.com/logo.png', 'https://cdn.pay.example/cover.jpg', 'https://8.8.8.8/x', 'https://172.32.0.1/x',
    'https://[2606:4700::1111]/x', 'https://localhost.example.com/x', 'https://www.youtube.com/watch?v=abc',
  ])('%s is a public address', (url) => {
    expect(privateMediaUrlProblem(url)).toBeUndefined();
  });
});
