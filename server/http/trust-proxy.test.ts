import { describe, expect, it } from 'vitest';
import { ConfigError, trustProxySetting } from './trust-proxy';

describe('TRUST_PROXY', () => {
  it.each<[string | undefined, boolean | string[]]>([
    [undefined, false],
    ['', false],
    [' false ', false],
    ['true', true],
    ['TRUE', true],
    ['127.0.0.1', ['127.0.0.1']],
    [' 127.0.0.1 , 10.0.0.0/8,::1 ', ['127.0.0.1', '10.0.0.0/8', '::1']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
    ['192.168.0.0/255.255.0.0', ['192.168.0.0/255.255.0.0']],
    ['fd00::/8', ['fd00::/8']],
  ])('%j -> %j', (raw, expected) => {
    expect(trustProxySetting(raw)).toEqual(expected);
  });

  it.each(['1', '2', 'nginx', '10.0.0.0/33', '::1/129', '1.2.3.4/5/6', '999.1.1.1', 'yes'])('%j is refused, saying what to give', (raw) => {
    expect(() => trustProxySetting(raw)).toThrow(ConfigError);
  });
});
