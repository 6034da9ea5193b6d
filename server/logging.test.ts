import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, redactRequestUrl, redactText } from './logging';

const META = 'EAAGm1ZCZBx7pQoRkLwV3sT9uYbN2cD4eF6gH8iJ0kL';

describe('redactText', () => {
  it.each([
    [`(#190) Malformed access token ${META}`, '(#190) Malformed access token [redacted]'],
    [`sent access_token=${META}&appsecret_proof=abc`, 'sent access_token=[redacted]&appsecret_proof=[redacted]'],
    ['{"access_token":"s3cret-value"}', '{"access_token":"[redacted]"}'],
    ['{\\"page_access_token\\":\\"s3cret-value\\"}', '{\\"page_access_token\\":\\"[redacted]\\"}'],
    ['echoed api_access_token: 9kQe2xVb7HnRt4LmPz1WcY8s', 'echoed api_access_token: [redacted]'],
    ['params {"api_access_token"=>"9kQe2xVb7HnRt4LmPz1WcY8s"}', 'params {"api_access_token"=>"[redacted]"}'],
    ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: [redacted]'],
    ['GET https://ops:hunter22@crm.example.com/hooks/Zx9', 'GET https://[redacted]@crm.example.com/hooks/[redacted]'],
  ])('%s → %s', (text, shown) => expect(redactText(text)).toBe(shown));

  it.each([
    'run 01JF4Z9 failed at step send (conversationId: 01JF4ZA, runId=01JF4Z9, sendKey=wa:01JF4ZB)',
    'Unexpected token \'b\', "{bad" is not valid JSON',
    'at sealed (file:///srv/server/auth/tokens.ts:12:3)',
    'A Basic plan answered EAA',
  ])('leaves %s as it is: ids and ordinary words are what support reads', (text) => expect(redactText(text)).toBe(text));
});

describe('redactRequestUrl', () => {
  it.each([
    ['/meta/webhook?hub.mode=subscribe&hub.verify_token=ab"cd\'ef&hub.challenge=1', '/meta/webhook?hub.mode=[redacted]&hub.verify_token=[redacted]&hub.challenge=[redacted]'],
    ['/meta/webhook?hub.challenge=1#hub.verify_token=abc', '/meta/webhook?hub.challenge=[redacted]#[redacted]'],
    ['/meta/webhook%3Fhub.verify_token=abc', '/meta/webhook%3Fhub.verify_token=[redacted]'],
    ['/hooks//Zx9_abc', '/hooks//[redacted]'],
    ['/chatwoot/webhook/Zx9"abc', '/chatwoot/webhook/[redacted]'],
    ['http://u:pw@host/hooks/Zx9', 'http://[redacted]@host/hooks/[redacted]'],
    ['/api/v1/runs/01JF4Z9', '/api/v1/runs/01JF4Z9'],
  ])('%s is logged as %s', (url, shown) => expect(redactRequestUrl(url)).toBe(shown));
});

describe('a log line', () => {
  const lineOf = (write: (log: pino.Logger) => void) => {
    let out = '';
    const log = pino(loggerOptions('info') as pino.LoggerOptions, new Writable({ write(chunk, _e, done) { out += String(chunk); done(); } }));
    write(log);
    return JSON.parse(out);
  };

  it('has every text field scrubbed, not only its error and message (an outbox delivery\'s error, Meta\'s error details)', () => {
    const line = lineOf((log) => log.info({ outbox: '01JF4Z9', error: `HTTP 502: access_token=${META}`, details: { quoted: [`token ${META}`] } }, 'outbox: delivery failed'));
    expect(line).toMatchObject({ outbox: '01JF4Z9', error: 'HTTP 502: access_token=[redacted]', details: { quoted: ['token [redacted]'] } });
  });

  it('has a logged error\'s message and stack scrubbed', () => {
    const line = lineOf((log) => log.warn({ err: new Error(`Chatwoot answered HTTP 500: access_token=${META}`) }, 'sync failed'));
    expect(JSON.stringify(line)).not.toContain(META);
    expect(line.err.message).toBe('Chatwoot answered HTTP 500: access_token=[redacted]');
  });
});
