import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { waitFor } from '../support/wait';
import { startChatwootPair } from './chatwoot/harness';

// Tags with invisible characters: "\u200bvip" read as "vip" and matched no trigger on "vip", a
// right-to-left override disguised "vip\u202egnp.exe". Control and format characters are refused
// wherever a tag enters (422 naming the tag and the character); fullwidth letters are the tag
// they read as (NFKC: "ＶＩＰ" is "VIP").

let server: TestServer;
beforeEach(async () => { server = await startTestServer(); });
afterEach(async () => { await server?.close(); });
const admin = () => server.api(server.adminToken);

async function contact(tags: string[] = []) {
  const res = await admin().post('/contacts', { firstName: 'Ana', phone: '+14155550123', tags });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('a tag with an invisible character', () => {
  it.each([
    ['vip\u202egnp.exe', 'U+202E', 'a text-direction mark', 'vip<U+202E>gnp.exe'],
    ['\u200bvip', 'U+200B', 'a zero-width character', '<U+200B>vip'],
    ['a\u0007b', 'U+0007', 'a control character', 'a<U+0007>b'],
    ['x\u00ady', 'U+00AD', 'a soft hyphen', 'x<U+00AD>y'],
    // A joiner between Latin letters shows nothing: "v\u200dip" would pass for "vip".
    ['v\u200dip', 'U+200D', 'a zero-width character', 'v<U+200D>ip'],
    ['vip\u200d', 'U+200D', 'a zero-width character', 'vip<U+200D>'],
  ])('%j is refused by POST /contacts/:id/tags, naming the tag and U+ code', async (tag, code, kind, shown) => {
    const id = await contact(['vip']);
    const res = await admin().post(`/contacts/${id}/tags`, { tags: ['ok', tag] });
    expect(res.status).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.tags.1', message: `The tag "${shown}" holds ${code} (${kind}): a tag may not hold invisible control or formatting characters, which make it look like another tag; remove it` }]);
    expect((await admin().get(`/contacts/${id}`)).body.tags).toEqual(['vip']);
  });

  it('is refused on a new contact, a tag removal, an import row and a workflow\'s step or trigger', async () => {
    const created = await admin().post('/contacts', { firstName: 'Ana', tags: ['\u200bvip'] });
    expect([created.status, created.body.error.details[0].path]).toEqual([422, 'body.tags.0']);
    const id = await contact();
    const removed = await admin().del(`/contacts/${id}/tags/${encodeURIComponent('vip\u202egnp.exe')}`);
    expect(removed.status).toBe(422);
    expect(removed.body.error.details[0].message).toMatch(/^The tag "vip<U\+202E>gnp\.exe" holds U\+202E/);

    const imported = await admin().post('/contacts/import', { contacts: [{ firstName: 'Bo', tags: ['ok', 'a\u0007b'] }] });
    expect(imported.status).toBe(200);
    expect(imported.body.results[0]).toMatchObject({ status: 'error', details: [{ path: 'contacts.0.tags.1', message: expect.stringMatching(/^The tag "a<U\+0007>b" holds U\+0007/) }] });

    const step = await admin().post('/workflows', { name: 'Tag', trigger: { type: 'manual' }, steps: [{ id: 't', type: 'update_contact_tag', config: { action: 'add', tags: ['\u200bvip'] } }] });
    expect(step.status).toBe(422);
    expect(step.body.error.details).toEqual([expect.objectContaining({ path: 'body.steps.0.config.tags.0', message: expect.stringMatching(/U\+200B/) })]);
    const trigger = await admin().post('/workflows', { name: 'On tag', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['x\u00ady'] }, steps: [] });
    expect(trigger.status).toBe(422);
    expect(JSON.stringify(trigger.body.error.details)).toMatch(/U\+00AD/);
  });
});

describe('a tag whose joiners are part of what it shows', () => {
  it('keeps emoji sequences, subdivision flags and joiners inside Persian or Devanagari words', async () => {
    const tags = ['👩🏽\u200d💻 dev', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'می\u200cخواهم', 'क्\u200dष'];
    const id = await contact();
    const res = await admin().post(`/contacts/${id}/tags`, { tags });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.tags).toEqual(tags);
  });
});

describe('a fullwidth tag', () => {
  it('is the tag it reads as: "ＶＩＰ" is "VIP", one tag with "vip", and fires a trigger on "vip"', async () => {
    const wf = await admin().post('/workflows', {
      name: 'VIP', status: 'published', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['vip'] },
      steps: [{ id: 'note', type: 'update_contact_tag', config: { action: 'add', tags: ['welcomed'] } }],
    });
    expect(wf.status, JSON.stringify(wf.body)).toBe(201);
    const id = await contact();
    const added = await admin().post(`/contacts/${id}/tags`, { tags: ['ＶＩＰ'] });
    expect(added.status).toBe(200);
    expect(added.body.tags[0]).toBe('VIP');
    await waitFor('the trigger on "vip"', async () => ((await admin().get(`/contacts/${id}`)).body.tags.includes('welcomed') ? true : undefined));
    expect((await admin().post(`/contacts/${id}/tags`, { tags: ['vip', 'ｖｉｐ'] })).body.tags).toEqual(['VIP', 'welcomed']);
  });
});

describe('a Chatwoot label with an invisible character', () => {
  it('becomes the tag without it, and the delivery says so; labels without one (joiners in an emoji or a Persian word) stay whole', async () => {
    await server.close();
    const p = await startChatwootPair();
    try {
      const cwContact = p.cw.addContact({ name: 'Jane Doe', email: 'jane@example.com' });
      const labels = ['\u200bvip', 'lead_2024', '👩🏽\u200d💻', 'می\u200cخواهم'];
      const conv = p.cw.addConversation({ contactId: cwContact.id, labels, firstMessage: { content: 'Hi', incoming: true } });
      const res = await p.hook(p.cw.conversationPayload(conv.id, 'conversation_created'));
      expect(res.status).toBe(200);
      expect(res.body.note).toContain('Chatwoot label "vip" held invisible characters (U+200B); the tag is "vip" without them');
      expect(res.body.note).not.toContain('lead_2024');
      const [row] = (await p.server.api(p.server.adminToken).get('/contacts?q=jane')).body.contacts;
      expect([...row.tags].sort()).toEqual(['vip', 'lead_2024', '👩🏽\u200d💻', 'می\u200cخواهم'].sort());
    } finally {
      await p.close();
      server = undefined as unknown as TestServer;
    }
  });
});
