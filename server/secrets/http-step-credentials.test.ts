import { describe, expect, it } from 'vitest';
import { httpStepCredentials, replacedPieces } from './http-step-credentials';

const http = (config: Record<string, unknown>) => ({ id: 'h', type: 'http_request', config: { method: 'POST', url: 'https://api.example.com/v1', headers: [], ...config } });

describe('httpStepCredentials: what an HTTP step\'s file would leave out', () => {
  it.each([
    ['a key header', http({ headers: [{ key: 'X-Api-Key', value: 'xk_9f8e7d6c' }] }), ['xk_9f8e7d6c']],
    ['a Bearer token, not its scheme', http({ headers: [{ key: 'Authorization', value: 'Bearer abcd1234efgh' }] }), ['abcd1234efgh']],
    ['a variable is no credential', http({ headers: [{ key: 'Authorization', value: 'Bearer {{$trigger.token}}' }] }), []],
    ['a URL parameter, as written and decoded', http({ url: 'https://api.example.com/v1?api_key=k3y%2BZ9&x=1' }), ['k3y%2BZ9', 'k3y+Z9']],
    ['a URL\'s user and password, and the password alone', http({ url: 'https://bob:hunter22@api.example.com/v1' }), ['bob:hunter22', 'bob:hunter22', 'hunter22']],
    ['a body\'s client_secret, unescaped', http({ body: '{"client_secret": "cs\\"quoted", "order": "{{$trigger.id}}"}' }), ['cs"quoted']],
    ['MSG91\'s authkey header and a key under auth in the body', http({ headers: [{ key: 'X-Authkey', value: '412345AbCdEf6789' }], body: '{"auth":{"key":"zq81LmB7vX2p"}}' }), ['412345AbCdEf6789', 'zq81LmB7vX2p']],
    ['an identifier named key inside an object (Jira)', http({ body: '{"fields":{"project":{"key":"HELP"}}}' }), []],
    ['nothing secret', http({ headers: [{ key: 'Accept', value: 'application/json' }], body: '{"order": "A-17"}' }), []],
    ['another step', { id: 'n', type: 'add_comment', config: { text: 'token abcdefgh' } }, []],
    ['a step that does not parse', { id: 'h', type: 'http_request', config: { url: 42 } }, []],
  ])('%s', (_name, step, expected) => {
    expect(httpStepCredentials([step])).toEqual(expected);
  });

  it('takes the written part of a value mixed with a variable', () => {
    expect(replacedPieces('sk_live_abcd{{$trigger.x}}', '{{credential: X-Key}}')).toEqual(['sk_live_abcd']);
  });
});
