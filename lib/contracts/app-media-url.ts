import { z } from 'zod';

// A manifest's logo, cover and video are loaded by the admin's browser on the options page, from
// wherever the manifest says: a hostile manifest naming https://192.168.1.1/… or https://localhost/…
// would have that browser send requests into its own network each time the page is opened. The
// server's outbound policy cannot see those requests, so the address is checked as written (the
// browser resolves names itself; a literal address or a name reserved for local networks is what
// can be refused here, in the contract the options page checks with too). An intranet deployment
// whose apps live on its own network allow-lists their hosts in COMPANION_ALLOW_PRIVATE_URLS, as
// for the HTTP step and the subscribe request: the server passes that check in (`allowed`).

export const MEDIA_KEYS = ['logoUrl', 'coverUrl', 'videoUrl'] as const;
export const MediaKey = z.enum(MEDIA_KEYS);
export type MediaKey = z.infer<typeof MediaKey>;

/** Whether the operator allow-listed a private host (a name or an address as the URL writes it). */
export type AllowedHost = (host: string) => boolean;

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|lan|home\.arpa|localdomain)$/;

function privateIpv4(host: string): boolean {
  const parts = host.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a = 0, b = 0] = parts;
  return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31)
    || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
}

function privateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === '::' || h === '::1') return true;
  const mapped = /^::ffff:(.+)$/.exec(h);
  if (mapped?.[1]) {
    const tail = mapped[1];
    if (tail.includes('.')) return privateIpv4(tail);
    const [hi = '0', lo = '0'] = tail.split(':');
    const n = (parseInt(hi, 16) << 16) + parseInt(lo, 16);
    return privateIpv4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return /^f[cd]/.test(h) || /^fe[89ab]/.test(h);
}

/** The host of a media URL on a private, loopback or local-network address as written; undefined for a public one. */
export function privateMediaHost(url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined; // not a URL: the field's own check says so
  }
  const isPrivate = host.startsWith('[') ? privateIpv6(host) : LOCAL_NAMES.test(host) || privateIpv4(host);
  return isPrivate ? host : undefined;
}

/** Why a media URL the admin's browser would load is refused, or undefined for a public or allow-listed address. */
export function privateMediaUrlProblem(url: string, allowed: AllowedHost = () => false): string | undefined {
  const host = privateMediaHost(url);
  if (host === undefined || allowed(host)) return undefined;
  return `${host} is a private, loopback or local-network address: the options page would load it from the admin's own network each time it opens. Use a public https:// address, or, if the host is on your own network, have the server's operator add "${host.replace(/^\[|\]$/g, '')}" to COMPANION_ALLOW_PRIVATE_URLS`;
}
