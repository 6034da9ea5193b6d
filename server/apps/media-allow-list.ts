import ipaddr from 'ipaddr.js';
import { type AllowedHost, MEDIA_KEYS, type MediaKey, privateMediaHost } from '../../lib/contracts/app-media-url';
import type { AppManifest } from '../../lib/contracts/apps';
import { checkAddress, normalizeHost } from '../outbound/address-policy';

/**
 * The private media hosts COMPANION_ALLOW_PRIVATE_URLS permits, matched as the HTTP step and the
 * subscribe request match it (address-policy.ts): a listed name, or an address written in the URL
 * that a listed IP or range holds. A name is not resolved: the admin's browser resolves it, not
 * the server, so an intranet name is allowed by listing the name itself.
 */
export function allowedMediaHost(allowList: readonly string[]): AllowedHost {
  const policy = { allowList: [...allowList] };
  return (host) => {
    const h = normalizeHost(host);
    if (ipaddr.isValid(h)) return checkAddress(h, h, policy).allowed;
    return policy.allowList.some((entry) => normalizeHost(entry) === h);
  };
}

/** The manifest's media on private hosts the allow-list permits: what the options page may load (`App.privateMediaShown`). */
export function privateMediaShown(m: Pick<AppManifest, MediaKey>, allowed: AllowedHost): MediaKey[] {
  return MEDIA_KEYS.filter((key) => {
    const host = m[key] === undefined ? undefined : privateMediaHost(m[key]);
    return host !== undefined && allowed(host);
  });
}
