import dns from 'node:dns';
import ipaddr from 'ipaddr.js';
import { ALLOW_LIST_ENV, checkAddress, normalizeHost, type OutboundPolicy } from './address-policy';
import { OutboundBlockedError, OutboundNetworkError } from './errors';

export interface VettedAddress {
  address: string;
  family: 4 | 6;
}

export type HostLookup = (hostname: string) => Promise<VettedAddress[]>;

const systemLookup: HostLookup = async (hostname) => {
  const found = await dns.promises.lookup(hostname, { all: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/**
 * Resolves `host` once and checks EVERY address against the policy: one private address among
 * public ones refuses the whole host (an attacker controls which one a client would pick).
 * The caller connects only to the returned addresses, so DNS is not consulted a second time.
 */
export async function vetHost(host: string, policy: OutboundPolicy, lookup: HostLookup = systemLookup): Promise<VettedAddress[]> {
  const hostname = normalizeHost(host);
  let addresses: VettedAddress[];
  if (ipaddr.isValid(hostname)) {
    addresses = [{ address: hostname, family: ipaddr.parse(hostname).kind() === 'ipv6' ? 6 : 4 }];
  } else {
    try {
      addresses = await lookup(hostname);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
      throw new OutboundNetworkError(`could not resolve ${hostname}: ${code}`, { cause: err, neverSent: true });
    }
    if (addresses.length === 0) throw new OutboundNetworkError(`could not resolve ${hostname}: no addresses`, { neverSent: true });
  }
  for (const { address } of addresses) {
    const verdict = checkAddress(address, hostname, policy);
    if (!verdict.allowed) {
      const via = address === hostname ? address : `${hostname} (resolves to ${address})`;
      throw new OutboundBlockedError(
        `refusing to connect to ${via}: ${verdict.range} address. ` +
          `To allow it, add "${hostname}" to ${ALLOW_LIST_ENV} (comma-separated hosts or IPs).`,
      );
    }
  }
  return addresses;
}
