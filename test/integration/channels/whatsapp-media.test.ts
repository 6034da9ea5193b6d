import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messengerImage, whatsappDocument, whatsappImage } from '../../fixtures/meta/payloads';
import { graphErrors } from '../../support/graph-standin';
import { conversationOf, startChannelWorld, WA, type ChannelWorld } from './support';

// WhatsApp media comes as Meta's media id: GET /conversations/:id/messages/:messageId/attachments/:n
// fetches it from the Graph API stand-in with the channel's token (Retrieve Media URL, then
// Download Media: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media) and
// streams it to a signed-in user, with its type, never as something that runs in this origin.

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let w: ChannelWorld;
beforeEach(async () => { w = await startChannelWorld(); });
afterEach(async () => { await w.close(); });

/** The customer's latest message and the path of its attachment `n`. */
async function latest(query: string, n = 0) {
  const { conversation } = await conversationOf(w.server, query);
  const message = conversation.messages.at(-1);
  return { conversation, message, path: `/conversations/${conversation.id}/messages/${message.id}/attachments/${n}` };
}

const raw = async (path: string, token?: string) => {
  const res = await fetch(`${w.server.url}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
};

describe('WhatsApp media through the companion', () => {
  it('streams an image to an agent as Meta serves it, with its type, shown inline and sandboxed', async () => {
    w.graph.addMedia({ id: '7700112233', phoneNumberId: WA.phoneNumberId, mimeType: 'image/jpeg', body: JPEG });
    await w.deliver(whatsappImage({ waId: '14155550160', caption: 'The dent', mediaId: '7700112233' }));
    const { message, path } = await latest('phone=%2B14155550160');
    expect(message).toMatchObject({ text: 'The dent', attachments: [{ type: 'image', mediaId: '7700112233', caption: 'The dent' }] });
    w.graph.requests.length = 0;

    const { token } = await w.server.createUser('agent');
    const res = await raw(path, token);
    expect(res.status, res.bytes.toString()).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.bytes.equals(JPEG)).toBe(true);
    // Retrieve Media URL (checked against the number), then the download with the token.
    expect(w.graph.requests).toEqual([
      { method: 'GET', path: '/v21.0/7700112233' },
      { method: 'GET', path: '/whatsapp_business/attachments/' },
    ]);
  });

  it('gives a document as a download under its own name', async () => {
    w.graph.addMedia({ id: '7700112244', phoneNumberId: WA.phoneNumberId, mimeType: 'application/pdf', body: PDF });
    await w.deliver(whatsappDocument({ waId: '14155550161', mediaId: '7700112244', filename: 'Rechnung März.pdf' }));
    const { message, path } = await latest('phone=%2B14155550161');
    expect(message).toMatchObject({ text: '[document]', attachments: [{ type: 'document', mediaId: '7700112244', filename: 'Rechnung März.pdf' }] });
    const res = await raw(path, w.server.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''${encodeURIComponent('Rechnung März.pdf')}`);
    expect(res.bytes.equals(PDF)).toBe(true);
  });

  it('never serves what Meta labels as HTML (or anything WhatsApp does not carry) as that type', async () => {
    w.graph.addMedia({ id: '7700112255', phoneNumberId: WA.phoneNumberId, mimeType: 'text/html', body: Buffer.from('<script>alert(1)</script>') });
    await w.deliver(whatsappDocument({ waId: '14155550162', mediaId: '7700112255', filename: 'page.html', mimeType: 'text/html' }));
    const res = await raw((await latest('phone=%2B14155550162')).path, w.server.adminToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; /);
  });

  it('answers 404 when Meta no longer has the media, 502 naming the fix when Meta refuses the token', async () => {
    await w.deliver(whatsappImage({ waId: '14155550163', mediaId: '7700119999' }));
    const { path } = await latest('phone=%2B14155550163');
    const gone = await w.server.api(w.server.adminToken).get(path);
    expect(gone.status).toBe(404);
    expect(gone.body.error).toMatchObject({ code: 'media_unavailable', message: expect.stringMatching(/^Meta no longer has this WhatsApp media/) });

    w.graph.expireToken(WA.token);
    const refused = await w.server.api(w.server.adminToken).get(path);
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'channel_refused', message: expect.stringContaining('Replace token') });
  });

  it('refuses without credentials, and answers 404 for what is not WhatsApp media of that conversation', async () => {
    w.graph.addMedia({ id: '7700112266', phoneNumberId: WA.phoneNumberId, mimeType: 'image/jpeg', body: JPEG });
    await w.deliver(whatsappImage({ waId: '14155550164', mediaId: '7700112266' }));
    const { conversation, message, path } = await latest('phone=%2B14155550164');
    expect((await raw(path)).status).toBe(401);

    await w.deliver(messengerImage({ psid: '5550002222', url: 'https://scontent.xx.fbcdn.net/v/photo.jpg' }));
    const { conversation: fb } = await conversationOf(w.server, 'q=2222');
    const admin = w.server.api(w.server.adminToken);
    const byUrl = await admin.get(`/conversations/${fb.id}/messages/${fb.messages.at(-1).id}/attachments/0`);
    expect(byUrl.status).toBe(404);
    expect(byUrl.body.error.message).toMatch(/is not WhatsApp media: open its url$/);

    const cases: [string, RegExp][] = [
      [`/conversations/${conversation.id}/messages/${message.id}/attachments/1`, /^Attachment 1 of message .+ not found$/],
      [`/conversations/${fb.id}/messages/${message.id}/attachments/0`, /^Message .+ in conversation .+ not found$/],
      [`/conversations/${conversation.id}/messages/msg_nope/attachments/0`, /not found$/],
    ];
    for (const [p, text] of cases) {
      const res = await admin.get(p);
      expect(res.status, p).toBe(404);
      expect(res.body.error.message).toMatch(text);
    }
    expect((await admin.get(`/conversations/${conversation.id}/messages/${message.id}/attachments/-1`)).status).toBe(422);
  });

  it('retries Meta throttling the media request, as other Graph calls do', async () => {
    w.graph.addMedia({ id: '7700112277', phoneNumberId: WA.phoneNumberId, mimeType: 'image/jpeg', body: JPEG });
    await w.deliver(whatsappImage({ waId: '14155550165', mediaId: '7700112277' }));
    const { path } = await latest('phone=%2B14155550165');
    w.graph.failNext(graphErrors.throttled(0));
    const res = await raw(path, w.server.adminToken);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(JPEG)).toBe(true);
  });
});
