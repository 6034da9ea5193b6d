import { describe, expect, it } from 'vitest';
import { checkAddress, classifyAddress, parseAllowList, policyFromEnv } from './address-policy';
import { OutboundBlockedError, OutboundNetworkError } from './errors';
import { vetHost, type HostLookup } from './resolve';

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'unicast'],
    ['93.184.216.34', 'unicast'],
    ['2606:4700:4700::1111', 'unicast'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'unicast'],
    ['192.168.0.10', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.251', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.5', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:8.8.8.8', 'unicast'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:db8::1', 'reserved'],
    ['nonsense', 'invalid'],
  ])('%s is %s', (ip, range) => {
    expect(classifyAddress(ip)).toBe(range);
  });
});

describe('checkAddress with an allow-list', () => {
  it.each([
    { ip: '127.0.0.1', host: '127.0.0.1', allowList: [], allowed: false },
    { ip: '127.0.0.1', host: '127.0.0.1', allowList: ['127.0.0.1'], allowed: true },
    { ip: '::ffff:127.0.0.1', host: '::ffff:127.0.0.1', allowList: ['127.0.0.1'], allowed: true },
    { ip: '127.0.0.2', host: '127.0.0.2', allowList: ['127.0.0.1'], allowed: false },
    { ip: '127.0.0.1', host: 'localhost', allowList: ['localhost'], allowed: true },
    { ip: '::1', host: 'localhost', allowList: ['LOCALHOST.'], allowed: true },
    { ip: '127.0.0.1', host: 'evil.example', allowList: ['localhost'], allowed: false },
    { ip: '10.0.3.7', host: 'svc.internal', allowList: ['10.0.0.0/16'], allowed: true },
    { ip: '10.1.3.7', host: 'svc.internal', allowList: ['10.0.0.0/16'], allowed: false },
    { ip: '::1', host: '::1', allowList: ['[::1]'], allowed: true },
    { ip: '8.8.8.8', host: 'dns.google', allowList: [], allowed: true },
  ])('$ip via $host with $allowList → $allowed', ({ ip, host, allowList, allowed }) => {
    expect(checkAddress(ip, host, { allowList }).allowed).toBe(allowed);
  });
});

describe('allow-list from the environment', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['127.0.0.1,localhost', ['127.0.0.1', 'localhost']],
    [' 127.0.0.1 , Localhost. ,, [::1] ', ['127.0.0.1', 'localhost', '::1']],
  ])('%j → %j', (raw, list) => {
    expect(parseAllowList(raw)).toEqual(list);
    expect(policyFromEnv({ COMPANION_ALLOW_PRIVATE_URLS: raw }).allowList).toEqual(list);
  });
});

describe('vetHost', () => {
  const fakeDns: Record<string, string[]> = {
    'public.example': ['93.184.216.34', '2606:2800:220:1::1'],
    'mixed.example': ['93.184.216.34', '10.0.0.5'],
    'rebind.example': ['169.254.169.254'],
  };
  const lookup: HostLookup = async (host) => {
    const found = fakeDns[host];
    if (!found) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  it('returns every address of a public host', async () => {
    await expect(vetHost('public.example', { allowList: [] }, lookup)).resolves.toHaveLength(2);
  });

  it.each(['mixed.example', 'rebind.example'])('refuses %s when any address is private', async (host) => {
    const err = await vetHost(host, { allowList: [] }, lookup).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundBlockedError);
    expect((err as Error).message).toContain(`add "${host}" to COMPANION_ALLOW_PRIVATE_URLS`);
  });

  it('lets an allow-listed host name through', async () => {
    await expect(vetHost('mixed.example', { allowList: ['mixed.example'] }, lookup)).resolves.toHaveLength(2);
  });

  it('checks IP literals without a lookup', async () => {
    await expect(vetHost('[::1]', { allowList: [] }, lookup)).rejects.toBeInstanceOf(OutboundBlockedError);
    await expect(vetHost('8.8.8.8', { allowList: [] }, lookup)).resolves.toEqual([{ address: '8.8.8.8', family: 4 }]);
  });

  it('reports an unknown name as a network error', async () => {
    await expect(vetHost('nowhere.example', { allowList: [] }, lookup)).rejects.toBeInstanceOf(OutboundNetworkError);
  });
});
