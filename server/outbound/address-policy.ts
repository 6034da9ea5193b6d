import ipaddr from 'ipaddr.js';

export const ALLOW_LIST_ENV = 'COMPANION_ALLOW_PRIVATE_URLS';

export interface OutboundPolicy {
  /** Host names, IPs or CIDR ranges that may be reached even though they are private. */
  allowList: string[];
}

export type AddressVerdict = { allowed: true } | { allowed: false; range: string };

// Only addresses ipaddr.js calls 'unicast' (public) pass; everything listed here is refused.
const REFUSED_V4 = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal', 'loopback', 'carrierGradeNat', 'private', 'reserved']);

/** Parses `COMPANION_ALLOW_PRIVATE_URLS` ("127.0.0.1,localhost"). */
export function parseAllowList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((entry) => normalizeHost(entry))
    .filter((entry) => entry.length > 0);
}

export function policyFromEnv(env: Record<string, string | undefined> = process.env): OutboundPolicy {
  return { allowList: parseAllowList(env[ALLOW_LIST_ENV]) };
}

/** Lower-cases a host name and strips IPv6 brackets and a trailing root dot. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/**
 * Names the special range an IP falls in ('loopback', 'private', ...), or 'unicast' for a public
 * address. IPv6 forms that embed an IPv4 address (mapped, NAT64, IPv4-compatible) are judged by
 * the embedded address, so ::ffff:127.0.0.1 counts as loopback.
 */
export function classifyAddress(ip: string): string {
  if (!ipaddr.isValid(ip)) return 'invalid';
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') {
    const range = (addr as ipaddr.IPv4).range();
    return REFUSED_V4.has(range) ? range : 'unicast';
  }
  const v6 = addr as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return classifyAddress(v6.toIPv4Address().toString());
  if (range === 'rfc6052') return classifyAddress(embeddedTail(v6));
  if (range === 'unicast' && v6.parts.slice(0, 6).every((p) => p === 0)) {
    // Deprecated IPv4-compatible form ::a.b.c.d.
    return classifyAddress(embeddedTail(v6));
  }
  // 6to4, Teredo, site-local, discard, documentation...: nothing a webhook needs.
  return range === 'unicast' ? 'unicast' : range;
}

function embeddedTail(v6: ipaddr.IPv6): string {
  const [hi = 0, lo = 0] = v6.parts.slice(6);
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

/**
 * Decides whether `ip` (resolved from `hostname`) may be reached. A listed host name lets all its
 * addresses through; a listed IP or CIDR lets that address through.
 */
export function checkAddress(ip: string, hostname: string, policy: OutboundPolicy): AddressVerdict {
  const range = classifyAddress(ip);
  if (range === 'unicast') return { allowed: true };
  if (range !== 'invalid' && isAllowListed(ip, hostname, policy.allowList)) return { allowed: true };
  return { allowed: false, range };
}

function isAllowListed(ip: string, hostname: string, allowList: string[]): boolean {
  const host = normalizeHost(hostname);
  const addr = ipaddr.process(ip);
  return allowList.some((raw) => {
    const entry = normalizeHost(raw);
    if (entry === host) return true;
    if (ipaddr.isValidCIDR(entry)) {
      const [net, bits] = ipaddr.parseCIDR(entry);
      const candidate = net.kind() === 'ipv4' ? ipaddr.process(ip) : ipaddr.parse(ip);
      return candidate.kind() === net.kind() && candidate.match(net, bits);
    }
    return ipaddr.isValid(entry) && ipaddr.process(entry).toNormalizedString() === addr.toNormalizedString();
  });
}
