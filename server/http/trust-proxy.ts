import net from 'node:net';

/** A setting that cannot work as given: main.ts prints its message as the reason the server did not start. */
export class ConfigError extends Error {}

// @fastify/proxy-addr's names for the usual private ranges, which Fastify's trustProxy takes too.
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [ip = '', mask, ...rest] = entry.split('/');
  const family = net.isIP(ip);
  if (family === 0 || rest.length > 0) return false;
  if (mask === undefined) return true;
  if (/^\d{1,3}$/.test(mask)) return Number(mask) <= (family === 4 ? 32 : 128);
  return family === 4 && net.isIPv4(mask);
}

/**
 * TRUST_PROXY, as Fastify's `trustProxy` option takes it
 * (https://fastify.dev/docs/latest/Reference/Server/#trustproxy): which peers' X-Forwarded-For
 * and X-Forwarded-Proto are believed, so `request.ip` (per-address limits, logs) is the client's
 * and `request.protocol` is the one it used.
 * - unset, empty or `false`: none (the server is reached directly);
 * - `true`: every peer, every hop; only where nothing but the proxy can reach the server and the
 *   proxy replaces X-Forwarded-For (a client's own header would otherwise name its address);
 * - addresses, CIDR ranges or `loopback` / `linklocal` / `uniquelocal`, comma-separated: the
 *   proxy's; the client is the nearest address in X-Forwarded-For that is not one of them.
 * A hop count is refused: Fastify 5 no longer honours one (it then trusts nobody; node_modules/
 * fastify/docs/Reference/Server.md): a count cannot check the nearest peer, so a client reaching
 * the server directly could write the X-Forwarded-* values it liked.
 */
export function trustProxySetting(raw: string | undefined): boolean | string[] {
  const value = (raw ?? '').trim();
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) {
    throw new ConfigError(`TRUST_PROXY=${value}: a number of hops cannot tell the proxy from a client that reaches the server directly (Fastify 5 ignores it); give the proxy's address instead, e.g. TRUST_PROXY=127.0.0.1 for nginx on this machine`);
  }
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.find((e) => !isAddressOrRange(e));
  if (bad !== undefined) {
    throw new ConfigError(`TRUST_PROXY: "${bad}" is not an IP address or CIDR range; give the proxy's addresses, comma-separated (e.g. 127.0.0.1 or 10.0.0.0/8), or true`);
  }
  return entries;
}
