import { afterEach, beforeEach, expect, it } from 'vitest';
import { ChatwootAccount } from '../../../lib/contracts/chatwoot';
import { ConversationList } from '../../../lib/contracts/conversations';
import { Run } from '../../../lib/contracts/runs';
import type { CwFault } from '../../support/chatwoot-standin';
import { waitFor } from '../../support/wait';
import { createWorkflow, runsOf } from '../engine-support';
import { startChatwootPair, type ChatwootPair } from './harness';

/**
 * Registered by answer-secrets.test.ts (SQLite) and .pg.test.ts (PostgreSQL). A Chatwoot (or a
 * proxy in front of it) that quotes the token it was sent had its words masked in the log only:
 * the account's last error on the options page, the sync's 502, a failed step's error, notes and
 * the thread's "not sent" line showed the administrator's and the agent bot's tokens to whoever
 * could read them. Now none does, and an error kept before that is masked when shown.
 */
export function chatwootAnswerSecretsSuite(databaseUrl: () => string | undefined) {
  let p: ChatwootPair;
  beforeEach(async () => { p = await startChatwootPair({ workers: true, databaseUrl: databaseUrl() }); });
  afterEach(async () => { await p.close(); });

  const admin = () => p.server.api(p.server.adminToken);
  const json = (status: number, body: unknown): CwFault => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
  /** Every way an answer quotes a token: as is, JSON-escaped inside a string, in a URL's query, percent-encoded. */
  const quoting = (token: string) => `Invalid Access Token ${token}; retry at https://cw.example/api/v1/profile?api_access_token=${encodeURIComponent(token)} or "token":"${token.replace(/_/g, '\\u005f')}"`;
  const account = async () => ChatwootAccount.parse((await admin().get(`/chatwoot/accounts/${p.account.id}`)).body);

  it('a sync refused with an answer quoting the token: the 502 and the account\'s last error keep Chatwoot\'s words, not the token', async () => {
    p.cw.failNext(/^GET \/api\/v1\/accounts\/1\/conversations$/, json(401, { error: quoting(p.cw.token) }));
    const sync = await admin().post(`/chatwoot/accounts/${p.account.id}/sync`);
    expect(sync.status).toBe(502);
    expect(JSON.stringify(sync.body)).not.toContain(p.cw.token);
    expect(sync.body.error.message).toContain('Invalid Access Token [redacted]');

    const shown = await account();
    expect(shown.status).toBe('error');
    expect(shown.lastError).toContain('Invalid Access Token [redacted]');
    expect(JSON.stringify(shown)).not.toContain(p.cw.token);
    const listed = (await admin().get('/chatwoot/accounts')).body;
    expect(JSON.stringify(listed)).not.toContain(p.cw.token);
  });

  it('a proxy\'s error page quoting the token (no title, the token across what is quoted) is masked before it is cut', async () => {
    // Once where any quote shows it, once straddling the 300th character, where an answer is cut.
    const head = `<html><body>upstream refused ${p.cw.token} `;
    const page = `${head}${'x'.repeat(296 - head.length)}${p.cw.token}</body></html>`;
    p.cw.failNext(/^GET \/api\/v1\/accounts\/1\/conversations$/, { status: 500, contentType: 'text/html', body: page }, { status: 500, contentType: 'text/html', body: page });
    expect((await admin().post(`/chatwoot/accounts/${p.account.id}/sync`)).status).toBe(502);
    const shown = await account();
    expect(shown.lastError).toMatch(/HTTP 500/);
    for (const cut of [p.cw.token, p.cw.token.slice(0, 8)]) expect(shown.lastError).not.toContain(cut);
  });

  it('a step refused with an answer quoting both tokens: the run\'s error, its notes and the thread show neither', async () => {
    await createWorkflow(p.server, { name: 'Welcome', trigger: { type: 'conversation_opened' }, steps: [{ id: 'hi', type: 'send_message', config: { text: 'Welcome!' } }] });
    const bot = p.cw.bots[0]!.access_token;
    p.cw.failNext(/^POST .*\/messages$/, json(422, { error: `${quoting(bot)} (admin ${p.cw.token})` }));
    const jane = p.cw.addContact({ name: 'Jane Doe' });
    const conv = p.cw.addConversation({ contactId: jane.id, firstMessage: { content: 'Hello', incoming: true } });
    expect((await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'))).status).toBe(200);

    const [workflow] = (await admin().get('/workflows')).body.workflows as { id: string }[];
    const run = await waitFor('the run to fail', async () => {
      const [r] = await runsOf(p.server, workflow!.id);
      return r?.status === 'failed' ? Run.parse((await admin().get(`/runs/${r.id}`)).body) : undefined;
    });
    expect(run.error).toContain('Invalid Access Token [redacted]');
    const [mirror] = ConversationList.parse((await admin().get('/conversations')).body).conversations;
    const thread = (await admin().get(`/conversations/${mirror!.id}`)).body;
    for (const shown of [run, thread, (await admin().get(`/workflows/${workflow!.id}/runs`)).body]) {
      expect(JSON.stringify(shown)).not.toContain(bot);
      expect(JSON.stringify(shown)).not.toContain(p.cw.token);
    }
  });

  it('an error kept before answers were masked shows masked', async () => {
    const kept = `Sync failed: Chatwoot refused the API access token ("${quoting(p.cw.token)}"): copy it again from Profile settings → Access Token`;
    await p.server.store.db.updateTable('connections').set({ last_error: kept, status: 'error' }).where('id', '=', p.account.id).execute();
    const shown = await account();
    expect(shown.lastError).toMatch(/^Sync failed: Chatwoot refused the API access token \("Invalid Access Token \[redacted\]/);
    expect(JSON.stringify((await admin().get('/chatwoot/accounts')).body)).not.toContain(p.cw.token);
  });
}
