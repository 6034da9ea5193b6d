import { describe, expect, it } from 'vitest';
import { bodySecrets, carriedSecrets, sentHeaderValues } from './carried';

describe('sentHeaderValues', () => {
  it('takes credentials and the token after a scheme, not plain headers', () => {
    expect(sentHeaderValues({
      authorization: 'Bearer sk_live_abcdefgh1234', 'X-Api-Key': 'key_0123456789', 'content-type': 'application/json', 'user-agent': 'InboxCompanion-Workflow/1',
    })).toEqual(['Bearer sk_live_abcdefgh1234', 'sk_live_abcdefgh1234', 'key_0123456789']);
  });

  it('takes what a Basic token encodes too', () => {
    const token = Buffer.from('ops:s3cretPassw0rd').toString('base64');
    expect(sentHeaderValues({ authorization: `Basic ${token}` })).toEqual([`Basic ${token}`, token, 'ops:s3cretPassw0rd', 's3cretPassw0rd']);
  });
});

describe('bodySecrets', () => {
  it.each<[string, string | undefined, string[]]>([
    ['values under credential-named keys, at any depth', '{"client_secret":"S3cr3tBodyValue123","q":"x","auth":{"user":"ops","pin":12345678},"list":[{"password":"hunter2hunter2"}]}', ['S3cr3tBodyValue123', 'ops', '12345678', 'hunter2hunter2']],
    ['nothing from other keys', '{"order":"A1","note":"long enough text"}', []],
    ['no body', undefined, []],
    ['a body that is not JSON', 'password=x', []],
  ])('%s', (_, body, expected) => {
    expect(bodySecrets(body)).toEqual(expected);
  });
});

describe('carriedSecrets', () => {
  it('headers, URL and body, each of 8 characters or more', () => {
    expect(carriedSecrets({
      url: 'https://api.example.com/x?api_key=AKIAabcdef123456&page=2',
      headers: { 'x-custom': 'CustomSecretValue456', 'x-short': 'abc', 'content-type': 'application/json' },
      body: '{"client_secret":"S3cr3tBodyValue123","q":"x"}',
    })).toEqual(['CustomSecretValue456', 'AKIAabcdef123456', 'S3cr3tBodyValue123']);
  });
});
