import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { ConfigError } from './http/trust-proxy';

describe('WEBHOOK_UNKNOWN_DELAY_MS', () => {
  const delay = (value?: string) => loadConfig({ ...(value === undefined ? {} : { WEBHOOK_UNKNOWN_DELAY_MS: value }) }).unknownHookTarpitMs;

  it('defaults to one second, and takes a number of milliseconds', () => {
    expect(delay()).toBe(1_000);
    expect(delay('250')).toBe(250);
  });

  it('turns a negative number into no delay, caps a huge one at a minute, and refuses what is not a number', () => {
    expect(() => delay('soon')).toThrow(new ConfigError('WEBHOOK_UNKNOWN_DELAY_MS=soon is not a number of milliseconds; unset or empty means 1000'));
    expect(delay('-5')).toBe(0);
    // Past 2^31 ms Node would fire the timer at once: a "forever" setting must not mean "never".
    expect(delay('1e12')).toBe(60_000);
  });
});

describe('DATABASE_POOL_SIZE', () => {
  const pool = (value?: string) => loadConfig({ ...(value === undefined ? {} : { DATABASE_POOL_SIZE: value }) }).databasePoolSize;

  it('defaults to 10 connections, and takes a whole number', () => {
    expect(pool()).toBe(10);
    expect(pool('4')).toBe(4);
    expect(pool('4.7')).toBe(4);
  });

  it('never goes below one connection (a pool of none would wait forever) nor above 100; empty means the default, garbage stops the start', () => {
    expect(pool('0')).toBe(1);
    expect(pool('-3')).toBe(1);
    expect(pool('100000')).toBe(100);
    expect(() => pool('lots')).toThrow(ConfigError);
    expect(pool('')).toBe(10);
  });
});

// Yes/no settings: 1/true/yes/on and 0/false/no/off in any case; unset or empty is the default;
// anything else stops the start (COMPANION_DEMO=false seeded the demo, only `0` counted as no).
describe('yes/no settings', () => {
  const flag = (name: string, value?: string) => {
    const config = loadConfig(value === undefined ? {} : { [name]: value });
    const keys: Record<string, keyof typeof config> = { COMPANION_DEMO: 'seedDemo', COMPANION_WORKERS: 'workers', COMPANION_EXECUTOR_THREAD: 'executorThread', COMPANION_STATS: 'stats' };
    return config[keys[name]!];
  };

  it.each([
    ['COMPANION_DEMO', true], ['COMPANION_WORKERS', true], ['COMPANION_EXECUTOR_THREAD', false], ['COMPANION_STATS', false],
  ] as const)('%s: unset or empty is %s; yes and no in any of their spellings', (name, fallback) => {
    expect(flag(name)).toBe(fallback);
    expect(flag(name, '')).toBe(fallback);
    expect(flag(name, '  ')).toBe(fallback);
    for (const yes of ['1', 'true', ' TRUE ', 'yes', 'Yes', 'on', 'ON']) expect(flag(name, yes)).toBe(true);
    for (const no of ['0', 'false', 'False', 'no', 'NO', 'off', ' Off ']) expect(flag(name, no)).toBe(false);
  });

  it.each([
    ['COMPANION_DEMO', 'prod', 'yes'], ['COMPANION_WORKERS', 'garbage', 'yes'], ['COMPANION_EXECUTOR_THREAD', 'yes please', 'no'], ['COMPANION_STATS', '2', 'no'],
  ])('%s=%s stops the start', (name, value, fallback) => {
    expect(() => flag(name, value)).toThrow(new ConfigError(`${name}=${value} is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means ${fallback}`));
  });
});

// Unset and empty are the default (docker-compose passes `PORT: ${PORT}` empty); anything else
// that cannot be read stops the start, naming the variable and the form it takes.
describe('numbers from the environment', () => {
  const read = (name: string, value?: string) => {
    const config = loadConfig(value === undefined ? {} : { [name]: value });
    const keys: Record<string, keyof typeof config> = {
      PORT: 'port', RATE_LIMIT_PER_MINUTE: 'rateLimitPerMinute', WEBHOOK_RATE_LIMIT_PER_MINUTE: 'webhookRateLimitPerMinute', RUN_RETENTION_DAYS: 'runRetentionDays',
      META_ADS_SYNC_MINUTES: 'metaAdsSyncMinutes', CHATWOOT_SYNC_SECONDS: 'chatwootSyncSeconds', AUTH_FAILURES_PER_MINUTE: 'authFailuresPerMinute', WEBHOOK_UNKNOWN_PER_MINUTE: 'unknownHookPerMinute',
    };
    return config[keys[name]!];
  };

  it.each([
    ['PORT', 8787, '8801', 8801], ['RATE_LIMIT_PER_MINUTE', 12_000, '600', 600], ['WEBHOOK_RATE_LIMIT_PER_MINUTE', 60_000, '100', 100],
    ['RUN_RETENTION_DAYS', 30, '0', 0], ['META_ADS_SYNC_MINUTES', 60, '15', 15], ['META_ADS_SYNC_MINUTES', 60, '10080', 10_080],
    ['CHATWOOT_SYNC_SECONDS', 300, '0', 0], ['CHATWOOT_SYNC_SECONDS', 300, '10', 10], ['CHATWOOT_SYNC_SECONDS', 300, '604800', 604_800],
    ['AUTH_FAILURES_PER_MINUTE', 60, '10', 10], ['WEBHOOK_UNKNOWN_PER_MINUTE', 60, '5', 5],
  ])('%s: unset, empty or blank is %s; %s is read', (name, fallback, given, value) => {
    expect(read(name)).toBe(fallback);
    expect(read(name, '')).toBe(fallback);
    expect(read(name, '  ')).toBe(fallback);
    expect(read(name, given)).toBe(value);
  });

  it.each([
    ['PORT', 'abc', 'PORT=abc is not a port number (a whole number from 0 to 65535); unset or empty means 8787'],
    ['PORT', '99999', 'PORT=99999 is not a port number (a whole number from 0 to 65535); unset or empty means 8787'],
    ['PORT', '0x1f', 'PORT=0x1f is not a port number (a whole number from 0 to 65535); unset or empty means 8787'],
    ['RATE_LIMIT_PER_MINUTE', 'abc', 'RATE_LIMIT_PER_MINUTE=abc is not a whole number of requests per minute (1 or more); unset or empty means 12000'],
    ['RATE_LIMIT_PER_MINUTE', '0', 'RATE_LIMIT_PER_MINUTE=0 is not a whole number of requests per minute (1 or more); unset or empty means 12000'],
    ['WEBHOOK_RATE_LIMIT_PER_MINUTE', '1.5', 'WEBHOOK_RATE_LIMIT_PER_MINUTE=1.5 is not a whole number of requests per minute (1 or more); unset or empty means 60000'],
    ['RUN_RETENTION_DAYS', 'abc', 'RUN_RETENTION_DAYS=abc is not a number of days (0 or more; 0 keeps everything); unset or empty means 30'],
    ['RUN_RETENTION_DAYS', '-1', 'RUN_RETENTION_DAYS=-1 is not a number of days (0 or more; 0 keeps everything); unset or empty means 30'],
    ['META_ADS_SYNC_MINUTES', '5m', 'META_ADS_SYNC_MINUTES=5m is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    ['META_ADS_SYNC_MINUTES', '43200', 'META_ADS_SYNC_MINUTES=43200 is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    ['META_ADS_SYNC_MINUTES', '1.5', 'META_ADS_SYNC_MINUTES=1.5 is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    ['META_ADS_SYNC_MINUTES', '-1', 'META_ADS_SYNC_MINUTES=-1 is not a whole number of minutes from 1 to 10080 (a week), or 0 to sync only on demand; unset or empty means 60'],
    ['CHATWOOT_SYNC_SECONDS', 'abc', 'CHATWOOT_SYNC_SECONDS=abc is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    ['CHATWOOT_SYNC_SECONDS', '99999999999', 'CHATWOOT_SYNC_SECONDS=99999999999 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    ['CHATWOOT_SYNC_SECONDS', '0.05', 'CHATWOOT_SYNC_SECONDS=0.05 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    ['CHATWOOT_SYNC_SECONDS', '5', 'CHATWOOT_SYNC_SECONDS=5 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    ['CHATWOOT_SYNC_SECONDS', '604801', 'CHATWOOT_SYNC_SECONDS=604801 is not a whole number of seconds from 10 to 604800 (a week), or 0 to turn the periodic pass off; unset or empty means 300'],
    ['AUTH_FAILURES_PER_MINUTE', 'many', 'AUTH_FAILURES_PER_MINUTE=many is not a whole number of requests per minute (0 or more); unset or empty means 60'],
    ['WEBHOOK_UNKNOWN_PER_MINUTE', 'Infinity', 'WEBHOOK_UNKNOWN_PER_MINUTE=Infinity is not a whole number of deliveries per minute (0 or more); unset or empty means 60'],
  ])('%s=%s stops the start, saying the form', (name, given, message) => {
    expect(() => read(name, given)).toThrow(new ConfigError(message));
  });
});

describe('other settings read at start', () => {
  it('LOG_LEVEL is one of pino\'s levels (any case); empty is info', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: '' }).logLevel).toBe('info');
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(new ConfigError('LOG_LEVEL=verbose is not one of trace, debug, info, warn, error, fatal, silent; unset or empty means info'));
  });

  it('DATABASE_URL is PostgreSQL\'s (postgres:// or postgresql://), or unset for SQLite; another scheme is refused without showing the rest', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:pw@db/x' }).databaseUrl).toBe('postgresql://u:pw@db/x');
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    for (const [url, scheme] of [['postgress://u:s3cret@db/x', 'postgress:'], ['mysql://u:s3cret@db/x', 'mysql:']] as const) {
      expect(() => loadConfig({ DATABASE_URL: url })).toThrow(new ConfigError(`DATABASE_URL must start with postgres:// or postgresql:// (it starts with ${scheme}//); unset it to use SQLite in DATA_DIR`));
    }
  });

  it('PUBLIC_URL is an http(s) URL (webhook URLs are built from it); empty is http://HOST:PORT', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://companion.example.com/' }).publicUrl).toBe('https://companion.example.com');
    expect(loadConfig({ PUBLIC_URL: '', PORT: '' }).publicUrl).toBe('http://127.0.0.1:8787');
    for (const bad of ['companion.example.com', 'ftp://companion.example.com', 'localhost:8787']) {
      expect(() => loadConfig({ PUBLIC_URL: bad })).toThrow(new ConfigError(`PUBLIC_URL=${bad} is not an http:// or https:// URL: give the address others reach the server at, e.g. https://companion.example.com`));
    }
  });

  it('META_GRAPH_URL is an http(s) URL (every Graph call is built on it); empty is Graph v21.0', () => {
    expect(loadConfig({ META_GRAPH_URL: 'http://127.0.0.1:9000/v21.0/' }).metaGraphUrl).toBe('http://127.0.0.1:9000/v21.0');
    expect(loadConfig({ META_GRAPH_URL: '' }).metaGraphUrl).toBe('https://graph.facebook.com/v21.0');
    for (const bad of ['graph.facebook.com', 'graph.facebook.com/v21.0', 'ftp://graph.facebook.com']) {
      expect(() => loadConfig({ META_GRAPH_URL: bad })).toThrow(new ConfigError(`META_GRAPH_URL=${bad} is not an http:// or https:// URL: give the Graph API's base with its version, e.g. https://graph.facebook.com/v21.0, or unset it`));
    }
  });

  it('COMPANION_SECRET_KEY is 32 bytes (hex or base64), never quoted back', () => {
    const key = Buffer.alloc(32, 1).toString('hex');
    expect(loadConfig({ COMPANION_SECRET_KEY: key }).secretKey).toBe(key);
    expect(() => loadConfig({ COMPANION_SECRET_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ COMPANION_SECRET_KEY: 'short' })).not.toThrow(/short/);
  });

  it('empty HOST and DATA_DIR are their defaults (not every interface, not the working directory)', () => {
    const config = loadConfig({ HOST: '', DATA_DIR: '' });
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.resolve('data'));
  });
});
