import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphErrors, startGraphStandIn, type GraphStandIn } from '../../test/support/graph-standin';
import { graphCall, GraphError } from './graph';
import { maskedErrorBody } from './graph-secrets';

// Meta's refusals quote what the call carried: "Malformed access token EAAG…" (code 190,
// github.com/facebookarchive/react-native-fbsdk/issues/220), or a URL holding a token. Over real
// HTTP to the Graph stand-in: nothing of the token is left in the error a caller keeps, shows or logs.

const TOKEN = 'EAAGm0/Zx+Q9"é<ZDZD';
const PHONE = '106540352242922';
let graph: GraphStandIn;
beforeAll(async () => { graph = await startGraphStandIn(); graph.addPhoneNumber({ id: PHONE, token: TOKEN }); });
afterAll(async () => { await graph.close(); });

const refusal = async (query?: Record<string, string>): Promise<GraphError> => {
  try {
    await graphCall({ method: 'GET', path: `/${PHONE}`, token: TOKEN, ...(query ? { query } : {}) }, { baseUrl: graph.url, attempts: 1 });
  } catch (err) {
    return err as GraphError;
  }
  throw new Error('Meta took it');
};
/** Everything of the error a caller can keep, show or log. */
const everything = (err: GraphError) => [err.message, err.stack ?? '', JSON.stringify(err.graph), JSON.stringify(err)].join('\n');
const leftOf = (text: string, secret: string) => ['m0/Zx', 'Q9', secret.slice(4, -4)].filter((part) => text.includes(part));

describe('a Graph refusal quoting the token', () => {
  it.each<[string, string]>([
    ['as sent (Malformed access token)', `Malformed access token ${TOKEN}`],
    ['JSON-escaped', `Invalid OAuth access token ${JSON.stringify(TOKEN)}`],
    ['JSON-escaped with \\/ and \\u escapes, as PHP writes it', 'token "EAAGm0\\/Zx+Q9\\"\\u00e9\\u003cZDZD" refused'],
    ['percent-encoded in a URL', `See https://graph.facebook.com/v21.0/me?access_token=${encodeURIComponent(TOKEN)}&limit=25`],
    ['HTML-escaped', 'token EAAGm0&#x2F;Zx+Q9&quot;&eacute;&lt;ZDZD'.replace('&eacute;', 'é')],
  ])('%s: the message, the error object and the stack hold none of it', async (_how, message) => {
    graph.failNext({ status: 400, error: { message, type: 'OAuthException', code: 190, error_data: { details: message } } });
    const err = await refusal();
    expect(err.code).toBe(190);
    expect(err.message).toContain('[redacted]');
    expect(leftOf(everything(err), TOKEN)).toEqual([]);
  });

  it('in the stand-in\'s documented 190 answer for a token Meta cannot parse', async () => {
    graph.malformToken(TOKEN);
    const err = await refusal();
    expect(err.message).toBe('Meta error 190 (OAuthException): Malformed access token [redacted]');
    expect(leftOf(everything(err), TOKEN)).toEqual([]);
  });
});

describe('a Graph refusal quoting a URL with a credential in it', () => {
  it.each<[string, string]>([
    ['another token in a paging link', 'https://graph.facebook.com/v21.0/1/ads?access_token=EAAOtherUserToken9876&after=QVFIUm'],
    ['an appsecret_proof, percent-encoded', 'https%3A%2F%2Fgraph.facebook.com%2Fme%3Fappsecret_proof%3Dd2f4e8a1c3b5%26access_token%3DEAAOtherUserToken9876'],
  ])('%s: its value is masked, the rest of the words stay', (_how, url) => {
    const body = maskedErrorBody(400, { error: { message: `Redirected to ${url}`, code: 100 } }, '', [TOKEN]);
    expect(body.message).toMatch(/^Redirected to https(:|%3A)/);
    expect(body.message).toContain('[redacted]');
    expect(body.message).not.toMatch(/EAAOtherUserToken9876|d2f4e8a1c3b5/);
    expect(body.code).toBe(100);
  });

  it('a credential the call itself carried in its query is masked too', async () => {
    const proof = 'a1b2c3d4e5f60718293a4b5c';
    graph.failNext(graphErrors.unknownObject(`x appsecret ${proof}`));
    const err = await refusal({ fields: 'id', appsecret_proof: proof });
    expect(err.message).not.toContain(proof);
    expect(err.message).toContain('[redacted]');
  });
});

describe('an answer that is not Meta\'s error object (a proxy\'s page)', () => {
  it('shows its start with the token masked, even where the cut would fall inside it', () => {
    const page = `<html><body>${'x'.repeat(175)} Bearer ${TOKEN.replace('<', '&lt;')} refused</body></html>`;
    const body = maskedErrorBody(502, undefined, page, [TOKEN]);
    expect(body.message).toMatch(/^HTTP 502: <html>/);
    expect(leftOf(body.message!, TOKEN)).toEqual([]);
    expect(body.message).not.toContain('EAAG');
  });
});
