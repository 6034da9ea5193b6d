import { describe, expect, it } from 'vitest';
import { databaseWaitSeconds, fileProblem, portProblem, sqliteProblem, startupProblem, startWhenDatabaseReady } from './startup';

const URL_WITH_PASSWORD = 'postgres://companion:s3cret-pass@db.internal:6543/companion';
const refused = () => Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6543'), { code: 'ECONNREFUSED' });

describe('startupProblem', () => {
  it('says what to fix, and never shows the password', () => {
    const cases: [unknown, RegExp][] = [
      [refused(), /not reachable at db\.internal:6543 \(ECONNREFUSED\): start it, or fix the host and port/],
      [Object.assign(new Error('database "companion" does not exist'), { code: '3D000' }), /has no database "companion": create it \(createdb companion\)/],
      [Object.assign(new Error('password authentication failed for user "companion"'), { code: '28P01' }), /refused user "companion" \(password authentication failed/],
      [new Error('The server does not support SSL connections'), /db\.internal:6543 does not accept TLS, but DATABASE_URL asks for it \(sslmode\): remove sslmode/],
      [Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }), /TLS certificate at db\.internal:6543 is not trusted \(SELF_SIGNED_CERT_IN_CHAIN\): give its CA in DATABASE_URL \(sslrootcert=/],
    ];
    for (const [err, said] of cases) {
      const line = startupProblem(err, URL_WITH_PASSWORD)!;
      expect(line).toMatch(said);
      expect(line).not.toContain('s3cret');
    }
  });

  it('has nothing to say of other failures, or without PostgreSQL (their stack trace is what helps)', () => {
    expect(startupProblem(new TypeError('x is not a function'), URL_WITH_PASSWORD)).toBeUndefined();
    expect(startupProblem(refused(), undefined)).toBeUndefined();
  });
});

describe('startWhenDatabaseReady', () => {
  const noSleep = async () => {};

  it('tries again while PostgreSQL refuses connections, saying so, and returns once it starts', async () => {
    let tries = 0;
    const said: string[] = [];
    const started = await startWhenDatabaseReady(async () => { if (++tries < 3) throw refused(); return 'server'; },
      { waitSeconds: 60, databaseUrl: URL_WITH_PASSWORD, say: (l) => said.push(l), sleep: noSleep });
    expect(started).toBe('server');
    expect(tries).toBe(3);
    expect(said).toHaveLength(2);
    expect(said[0]).toMatch(/not reachable at db\.internal:6543.*trying again in 2 s \(for up to 60 s, DATABASE_WAIT_SECONDS\)/);
  });

  it('does not retry what waiting cannot fix, nor past its wait, nor SQLite', async () => {
    const noDatabase = Object.assign(new Error('database "x" does not exist'), { code: '3D000' });
    let tries = 0;
    await expect(startWhenDatabaseReady(async () => { tries++; throw noDatabase; }, { waitSeconds: 60, databaseUrl: URL_WITH_PASSWORD, say: () => {}, sleep: noSleep })).rejects.toBe(noDatabase);
    expect(tries).toBe(1);
    tries = 0;
    await expect(startWhenDatabaseReady(async () => { tries++; throw refused(); }, { waitSeconds: 0, databaseUrl: URL_WITH_PASSWORD, say: () => {}, sleep: noSleep })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(tries).toBe(1);
    tries = 0;
    await expect(startWhenDatabaseReady(async () => { tries++; throw refused(); }, { waitSeconds: 60, databaseUrl: undefined, say: () => {}, sleep: noSleep })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(tries).toBe(1);
  });
});

describe('portProblem', () => {
  it('names the taken address and port, and what to do', () => {
    const taken = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:8787'), { code: 'EADDRINUSE', address: '127.0.0.1', port: 8787 });
    expect(portProblem(taken)).toBe('127.0.0.1:8787 is already in use (another Inbox Companion running?): stop what holds it, or set PORT');
    expect(portProblem(new Error('other'))).toBeUndefined();
  });

  it.each([
    [{ code: 'EADDRNOTAVAIL', address: '192.0.2.1', port: 8787, syscall: 'listen' }, '192.0.2.1:8787: this machine has no such address (EADDRNOTAVAIL): set HOST to one of its addresses, 127.0.0.1, or 0.0.0.0 for every interface'],
    [{ code: 'EACCES', address: '0.0.0.0', port: 80, syscall: 'listen' }, '0.0.0.0:80: not permitted to listen there (EACCES; ports below 1024 need privileges): set PORT to 1024 or above'],
    [{ code: 'ENOTFOUND', hostname: 'nonexistent.invalid', syscall: 'getaddrinfo' }, 'HOST=nonexistent.invalid does not resolve to an address (ENOTFOUND): set HOST to an address of this machine, e.g. 127.0.0.1, or 0.0.0.0 for every interface'],
    [{ code: 'EACCES', path: '/data/companion.sqlite', syscall: 'open' }, undefined],
  ])('says which setting a listen error is about: %o', (err, line) => {
    expect(portProblem(Object.assign(new Error('listen failed'), err))).toBe(line);
  });
});

describe('fileProblem', () => {
  it('names the path that cannot be written and why', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir '/srv/companion'"), { code: 'EACCES', syscall: 'mkdir', path: '/srv/companion' });
    expect(fileProblem(denied)).toBe('cannot mkdir /srv/companion (EACCES: permission denied): set DATA_DIR to a directory this user may write, or fix its permissions');
    expect(fileProblem(Object.assign(new Error('x'), { code: 'ENOENT', path: '/x' }))).toBeUndefined();
    expect(fileProblem(Object.assign(new Error('x'), { code: 'EACCES' }))).toBeUndefined();
  });
});

describe('sqliteProblem', () => {
  it('names the file that is not a database or is damaged, and the ways out', () => {
    const notADatabase = Object.assign(new Error('file is not a database'), { code: 'ERR_SQLITE_ERROR', errcode: 26, errstr: 'file is not a database' });
    expect(sqliteProblem(notADatabase, '/srv/data/companion.sqlite')).toBe('/srv/data/companion.sqlite is not an SQLite database, or is damaged (file is not a database): restore it from a backup, or move it away to start with an empty one');
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'ERR_SQLITE_ERROR', errcode: 11, errstr: 'database disk image is malformed' });
    expect(sqliteProblem(corrupt, '/x.sqlite')).toMatch(/^\/x\.sqlite is not an SQLite database, or is damaged \(database disk image is malformed\)/);
    expect(sqliteProblem(Object.assign(new Error('locked'), { code: 'ERR_SQLITE_ERROR', errcode: 5 }), '/x.sqlite')).toBeUndefined();
  });
});

describe('databaseWaitSeconds (DATABASE_WAIT_SECONDS)', () => {
  it('takes a number of seconds, 0 included, and falls back to 60 for anything else', () => {
    expect(databaseWaitSeconds('15')).toBe(15);
    expect(databaseWaitSeconds('0')).toBe(0);
    for (const raw of [undefined, '', '  ', '-5', 'soon', 'NaN', 'Infinity']) expect(databaseWaitSeconds(raw), String(raw)).toBe(60);
  });
});
