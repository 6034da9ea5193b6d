import { describe, expect, it } from 'vitest';
import { makeStep, makeWorkflowDefinition } from '../../../lib/contracts/workflow.fixtures';
import { withoutCredentials } from './export-credentials';

const exported = (config: Record<string, unknown>) => {
  const [step] = withoutCredentials(makeWorkflowDefinition({ steps: [makeStep('http_request', { method: 'POST', url: 'https://x.example/', ...config })] })).steps;
  return step!.type === 'http_request' ? step.config : undefined;
};
const header = (key: string, value: string) => exported({ headers: [{ key, value }] })!.headers[0]!.value;

describe('withoutCredentials', () => {
  it.each([
    ['Authorization', 'Bearer sk_live_1', 'Bearer {{credential: Authorization}}'],
    ['Authorization', 'Basic dXNlcjpwdw==', 'Basic {{credential: Authorization}}'],
    ['Proxy-Authorization', 'secret', '{{credential: Proxy-Authorization}}'],
    ['X-Api-Key', 'abc', '{{credential: X-Api-Key}}'],
    ['X-Shopify-Access-Token', 'shpat_1', '{{credential: X-Shopify-Access-Token}}'],
    ['Cookie', 'sid=1', '{{credential: Cookie}}'],
    ['X-Hub-Signature', 'sha256=1', '{{credential: X-Hub-Signature}}'],
    ['X-Custom', 'Bearer abc', 'Bearer {{credential: X-Custom}}'],
    // Kept: no credential written out, or not a credential.
    ['Authorization', 'Bearer {{$trigger.token}}', 'Bearer {{$trigger.token}}'],
    ['X-Api-Key', '{{$contact.fields.key}}', '{{$contact.fields.key}}'],
    ['Idempotency-Key', 'order-1', 'order-1'],
    ['Accept', 'application/json', 'application/json'],
    ['X-Monkey', 'banana', 'banana'],
    // MSG91's `authkey` header (v5 API) and its spellings: a credential; `X-Author-Id` is data.
    ['authkey', '412345AbCdEf6789GhIjKlMn01', '{{credential: authkey}}'],
    ['X-Authkey', 'ak_1', '{{credential: X-Authkey}}'],
    ['X-Auth-Token', 'at_1', '{{credential: X-Auth-Token}}'],
    ['X-OAuth-Client', 'oc_1', '{{credential: X-OAuth-Client}}'],
    ['X-Author-Id', 'ana', 'ana'],
    ['X-Authority', 'north', 'north'],
    ['X-Idempotency-Key', 'order-1', 'order-1'],
  ])('header %s: %s → %s', (key, value, expected) => {
    expect(header(key, value)).toBe(expected);
  });

  it.each([
    ['https://u:p@x.example/a?b=1', 'https://{{credential: user:password}}@x.example/a?b=1'],
    ['https://x.example/a?access_token=t1&page=2#top', 'https://x.example/a?access_token={{credential: access_token}}&page=2#top'],
    ['https://x.example/a?api_key={{$trigger.key}}&key=k1', 'https://x.example/a?api_key={{$trigger.key}}&key={{credential: key}}'],
    ['https://x.example/orders/{{$trigger.id}}', 'https://x.example/orders/{{$trigger.id}}'],
    // A URL that is itself the credential (lib/workflow/url-path-secrets.ts).
    ['https://api.telegram.org/bot123456:AAHsecretTGtoken/sendMessage', 'https://api.telegram.org/bot{{credential: Telegram bot token}}/sendMessage'],
    ['https://hooks.slack.com/services/T000/B000/SLACKPATHSECRET', 'https://hooks.slack.com/services/{{credential: Slack webhook path}}'],
  ])('URL %s', (url, expected) => {
    expect(exported({ url })!.url).toBe(expected);
  });

  it.each([
    ['{"client_secret":"cs_1","n":1}', '{"client_secret":"{{credential: client_secret}}","n":1}'],
    ['{ "password" : "p\\"w", "user": "ana" }', '{ "password" : "{{credential: password}}", "user": "ana" }'],
    ['{"token":"{{$trigger.token}}","note":"token: x"}', '{"token":"{{$trigger.token}}","note":"token: x"}'],
    ['{"list":["token","abc"],"total":{{$trigger.total}}}', '{"list":["token","abc"],"total":{{$trigger.total}}}'],
    ['{"refresh":"eyJrefresh","refresh_token":"rt_1"}', '{"refresh":"{{credential: refresh}}","refresh_token":"{{credential: refresh_token}}"}'],
    // A bare `key` is a credential at the top (Mandrill), an identifier inside an object (Jira's project).
    ['{"key":"md_1","message":{"text":"hi"}}', '{"key":"{{credential: key}}","message":{"text":"hi"}}'],
    ['{"fields":{"project":{"key":"HELP"},"summary":"{{$trigger.s}}"},"key":"k1"}', '{"fields":{"project":{"key":"HELP"},"summary":"{{$trigger.s}}"},"key":"{{credential: key}}"}'],
    // A nested `key` is a credential in an auth-like object or a list item holding only credentials.
    ['{"auth":{"key":"zq81LmB7vX2pQr9sT4wY"},"to":"+34600111222"}', '{"auth":{"key":"{{credential: key}}"},"to":"+34600111222"}'],
    ['{"credentials":{"key":"c1","id":"me"},"api":{"key":"a1"}}', '{"credentials":{"key":"{{credential: key}}","id":"me"},"api":{"key":"{{credential: key}}"}}'],
    ['{"credentials":[{"key":"c1"}]}', '{"credentials":[{"key":"{{credential: key}}"}]}'],
    ['[{"key":"k1"}]', '[{"key":"{{credential: key}}"}]'],
    ['[{"key":"k1","secret":"s1"}]', '[{"key":"{{credential: key}}","secret":"{{credential: secret}}"}]'],
    ['[{"key":"HELP-1","fields":{"summary":"x"}},{"key":"HELP-2","n":{{$trigger.n}}}]', '[{"key":"HELP-1","fields":{"summary":"x"}},{"key":"HELP-2","n":{{$trigger.n}}}]'],
    ['{"issues":[{"key":"HELP-1"}],"metadata":{"key":"v"},"n":{{$trigger.n}},"update":{"project":{"key":"HELP"}}}', '{"issues":[{"key":"HELP-1"}],"metadata":{"key":"v"},"n":{{$trigger.n}},"update":{"project":{"key":"HELP"}}}'],
    ['{"token_type":"bearer","max_tokens":"500","access_token":"at_1"}', '{"token_type":"bearer","max_tokens":"500","access_token":"{{credential: access_token}}"}'],
  ])('body %s', (body, expected) => {
    expect(exported({ body })!.body).toBe(expected);
  });
});
