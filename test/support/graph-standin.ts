import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, createHmac } from 'node:crypto';
import { templateSendProblem } from './graph-template-check';

// A stand-in for Meta's Graph API on a loopback port, speaking the documented shapes. The product
// reaches it exactly as it reaches graph.facebook.com: only META_GRAPH_URL differs.
// Error object: https://developers.facebook.com/docs/graph-api/guides/error-handling
// WhatsApp send: https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
// Messenger Send API: https://developers.facebook.com/docs/messenger-platform/reference/send-api

export const GRAPH_VERSION = 'v21.0';

export interface GraphErrorAnswer {
  status: number;
  error: { message: string; type: string; code: number; error_subcode?: number; error_data?: { messaging_product?: string; details: string } };
  headers?: Record<string, string>;
  /** Only for a request whose path ends with this (`/phone_numbers`); other requests pass it by. */
  onPath?: string;
  /** Only for a request whose JSON body this accepts (the second of two sends, a text and not an attachment). */
  onBody?: (body: any) => boolean;
}

/** Documented failures, ready to queue with `failNext`. */
export const graphErrors = {
  // https://developers.facebook.com/docs/graph-api/guides/error-handling (code 190: token expired/invalid)
  invalidToken: (): GraphErrorAnswer => ({ status: 400, error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190 } }),
  // Body: https://developers.facebook.com/docs/facebook-login/access-tokens/debugging-and-error-handling
  // (expired: code 190, subcode 463); HTTP 401 as the Cloud API's table gives for 190:
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (Authorization errors)
  expiredToken: (): GraphErrorAnswer => ({
    status: 401, error: { message: 'Error validating access token: Session has expired on Wednesday, 02-Dec-26 18:00:00 PST. The current time is Thursday, 03-Dec-26 13:46:35 PST.', type: 'OAuthException', code: 190, error_subcode: 463 },
  }),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (10 Permission Denied, HTTP 403,
  // details "Permission is either not granted or has been removed.")
  permissionDenied: (): GraphErrorAnswer => ({
    status: 403, error: { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10, error_data: { messaging_product: 'whatsapp', details: 'Permission is either not granted or has been removed.' } },
  }),
  // A token Meta cannot parse is refused with code 190 and quoted whole in the message: "Malformed
  // access token <the token>", HTTP 400, OAuthException (github.com/facebookarchive/react-native-fbsdk/issues/220;
  // the object's fields: https://developers.facebook.com/docs/graph-api/guides/error-handling).
  malformedToken: (token: string): GraphErrorAnswer => ({ status: 400, error: { message: `Malformed access token ${token}`, type: 'OAuthException', code: 190 } }),
  // https://developers.facebook.com/docs/graph-api/guides/error-handling (code 4: application request limit, HTTP 429 on throttling).
  // Meta's limits count calls over a rolling hour (https://developers.facebook.com/docs/graph-api/overview/rate-limiting);
  // `Retry-After` (RFC 9110 §10.2.3) is the generic HTTP way a throttled server says how long to wait.
  throttled: (retryAfterSeconds?: number): GraphErrorAnswer => ({
    status: 429, error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4, error_subcode: 2446079 },
    ...(retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(retryAfterSeconds) } } : {}),
  }),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (130429 Rate limit hit)
  waThroughput: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429, error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' } },
  }),
  // https://developers.facebook.com/docs/graph-api/guides/error-handling (code 2: temporary service issue)
  serverError: (): GraphErrorAnswer => ({ status: 500, error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2 } }),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (131047 Re-engagement message)
  reEngagement: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } },
  }),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (131026 Message Undeliverable, HTTP 400)
  undeliverable: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#131026) Message Undeliverable', type: 'OAuthException', code: 131026, error_data: { messaging_product: 'whatsapp', details: 'Unable to deliver message. Reasons can include: The recipient phone number is not a WhatsApp phone number.' } },
  }),
  // https://developers.facebook.com/docs/messenger-platform/error-codes (551, subcode 1545041: "This person isn't available right now.")
  personUnavailable: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#551) This person isn\'t available right now.', type: 'OAuthException', code: 551, error_subcode: 1545041 },
  }),
  // https://developers.facebook.com/docs/messenger-platform/reference/send-api/error-codes (Permission errors:
  // code 10, subcode 2018278 "This message is sent outside of allowed window"), a refusal of that thread, not the token.
  messengerOutsideWindow: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview', type: 'OAuthException', code: 10, error_subcode: 2018278 },
  }),
  // Same page, code 10 subcode 2018108 ("This person isn't receiving messages from you right now"): that person, not the token.
  messengerNotReceiving: (): GraphErrorAnswer => ({
    status: 400, error: { message: '(#10) This person isn\'t receiving messages from you right now.', type: 'OAuthException', code: 10, error_subcode: 2018108 },
  }),
  // https://developers.facebook.com/documentation/business-messaging/whatsapp/support/error-codes/ (Integrity
  // errors: 368 Temporarily blocked for policies violations, HTTP 403): the whole account, whoever a send goes to.
  policyBlocked: (): GraphErrorAnswer => ({
    status: 403, error: { message: '(#368) Temporarily blocked for policies violations', type: 'OAuthException', code: 368, error_data: { messaging_product: 'whatsapp', details: 'The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy.' } },
  }),
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (132001 Template does not exist)
  templateMissing: (): GraphErrorAnswer => ({
    status: 404, error: { message: '(#132001) Template name does not exist in the translation', type: 'OAuthException', code: 132001, error_data: { messaging_product: 'whatsapp', details: 'template name (x) does not exist in en_US' } },
  }),
  // https://developers.facebook.com/docs/graph-api/guides/error-handling (code 100, subcode 33: the
  // object does not exist, or the token cannot see it)
  unknownObject: (id: string): GraphErrorAnswer => ({
    status: 400, error: { message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, type: 'GraphMethodException', code: 100, error_subcode: 33 },
  }),
  // A token without a permission the edge needs (200-299 API Permission, HTTP 403):
  // https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (Authorization errors)
  missingPermission: (permission: string): GraphErrorAnswer => ({
    status: 403, error: { message: `(#200) Requires ${permission} permission to manage the object`, type: 'OAuthException', code: 200 },
  }),
};

/** An ad with the fields the companion asks for. https://developers.facebook.com/docs/marketing-api/reference/adgroup/ */
export interface StandInAd {
  id: string; name: string; effective_status: string;
  campaign: { objective: string; id?: string }; adset: { optimization_goal: string; destination_type: string; id?: string };
  creative: { id?: string; source_instagram_media_id?: string };
}
export interface StandInAdAccount { id: string; token: string; name: string; ads: StandInAd[] }

/**
 * A template component as GET /{waba-id}/message_templates returns it: a header's format, a body's
 * text, buttons (an authentication template's OTP button comes back as a URL to whatsapp.com/otp/code),
 * a limited-time offer's text and expiration flag, a carousel's cards.
 */
export interface StandInComponent {
  type: string; format?: string; text?: string;
  buttons?: { type: string; text?: string; url?: string; otp_type?: string }[];
  limited_time_offer?: { text: string; has_expiration?: boolean };
  cards?: { components: StandInComponent[] }[];
}
/** A template with the fields the companion asks for (components as Meta returns them). */
export interface StandInTemplate {
  id: string; name: string; language: string; status: string; category: string; parameter_format?: 'POSITIONAL' | 'NAMED';
  components: StandInComponent[];
}

export interface SentMessage { kind: 'whatsapp' | 'messenger'; accountId: string; body: any; id: string; token: string }

export interface GraphStandIn {
  /** Base URL with the version, as META_GRAPH_URL. */
  url: string;
  /**
   * A phone number and the token that reads it. `businessAccountId`: the WhatsApp Business Account
   * holding it, which then lists it and accepts its token (created without templates if new).
   * Added again without one, the number stays in its account, which accepts the new token too.
   */
  addPhoneNumber(p: { id: string; token: string; displayPhoneNumber?: string; verifiedName?: string; businessAccountId?: string }): void;
  addPage(p: { id: string; token: string; name?: string }): void;
  /** A Messenger user's profile, readable with that Page's token (User Profile API); `delayMs`: Meta slow to answer it. */
  addProfile(p: { psid: string; pageId: string; firstName: string; lastName: string; delayMs?: number }): void;
  /**
   * A WhatsApp Business Account's message templates, as GET /{waba-id}/message_templates returns
   * them (https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/).
   * It accepts `token` besides those it accepted already, and keeps its phone numbers
   * (GET /{waba-id}/phone_numbers lists them: addPhoneNumber with `businessAccountId`).
   */
  addBusinessAccount(a: { id: string; token: string; templates: StandInTemplate[] }): void;
  /**
   * The token lacks this permission: the WhatsApp Business Account edges that need it
   * (phone_numbers, message_templates need whatsapp_business_management) answer code 200.
   */
  withoutPermission(token: string, permission: 'whatsapp_business_management'): void;
  /** An ad account (`act_…`) and its ads as the Marketing API returns them; mutate `ads` to change them. */
  addAdAccount(a: { id: string; token: string; name?: string; ads: StandInAd[] }): StandInAdAccount;
  /**
   * Media a customer sent to a number (its webhook names it by id), as the Cloud API keeps it:
   * GET /{media-id} with the number's token answers its URL (valid 5 minutes), and that URL
   * answers the bytes only with the token. https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
   */
  addMedia(m: { id: string; phoneNumberId: string; mimeType: string; body: Buffer }): void;
  /** Answers the next matching requests (all by default) with these failures, in order. */
  failNext(...answers: GraphErrorAnswer[]): void;
  /**
   * The next request whose path ends with `onPath` (any by default) is handled as usual (a send is
   * taken and listed in `sent`) but its answer waits `ms`: Meta slow to answer. Shapes unchanged.
   * `dropped` lists the paths of held requests whose connection the caller closed before the answer.
   */
  delayNext(ms: number, onPath?: string): void;
  dropped: string[];
  /** The token stops working as an expired one does (code 190, subcode 463), wherever it is used. */
  expireToken(token: string): void;
  /** Meta cannot parse the token: wherever it is used, code 190 quoting it (graphErrors.malformedToken). */
  malformToken(token: string): void;
  /**
   * After each accepted WhatsApp send, POST these status webhooks (signed with the app secret)
   * to the companion at once, as Meta does: they may arrive before the sender stored the answer.
   * https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates
   */
  statusCallbacks(o: { webhookUrl: string; appSecret: string; statuses: ('sent' | 'delivered' | 'read')[]; beforeAnswer?: boolean }): void;
  /** Runs after each accepted WhatsApp send and before its answer (null: none): the customer's webhooks that beat the answer, such as a reaction to it. */
  beforeWhatsAppAnswer(hook: ((sent: { wamid: string; to: string }) => Promise<void>) | null): void;
  /**
   * After each accepted Messenger send, POST its message_echoes webhook (signed with the app
   * secret) to the companion, as Meta does for every message a Page sends: `beforeAnswer`, before
   * the Send API's answer reaches the sender. Shape (is_echo, app_id, the sender's `metadata`, mid):
   * https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes
   */
  messengerEchoes(o: { webhookUrl: string; appSecret: string; beforeAnswer?: boolean }): void;
  /**
   * WhatsApp's own record says these customers' 24-hour window is closed: a free-form message to
   * one is taken all the same (a wamid answered), then refused by a `failed` status webhook with
   * errors[].code 131047 (Re-engagement message), signed with the app secret, posted after the
   * answer (`beforeAnswer`: before it). Templates go through. Shape of the status and its errors:
   * https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/status/
   * and https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes (131047).
   */
  refuseLater(o: { webhookUrl: string; appSecret: string; recipients: string[]; beforeAnswer?: boolean }): void;
  /** Posts a late refusal again with its very body and signature, as Meta redelivers a webhook; the companion's answer status. */
  redeliverRefusal(wamid: string): Promise<number>;
  /** Late refusals posted so far (wamid, the companion's answer status). */
  refusals: { wamid: string; answer: number }[];
  /** Status callbacks posted so far, with the companion's answer status. */
  callbacks: { wamid: string; status: string; answer: number }[];
  sent: SentMessage[];
  requests: { method: string; path: string }[];
  /**
   * Meta unreachable: the port is closed (connections refused, ECONNREFUSED) and open connections
   * are dropped, until `acceptConnections` listens on the same port again.
   */
  refuseConnections(): Promise<void>;
  acceptConnections(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An interactive list message Meta would refuse: its limits as documented in
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
 * (body ≤ 4096, button ≤ 20, section title ≤ 24, 1 to 10 rows in all, row id ≤ 200, row title ≤ 24, description ≤ 72).
 */
function interactiveListProblem(i: any): string | null {
  const rows = (i.action?.sections ?? []).flatMap((s: any) => s.rows ?? []);
  if (typeof i.body?.text !== 'string' || !i.body.text || chars(i.body.text) > 4096) return 'Param interactive[\'body\'][\'text\'] is required, at most 4096 characters';
  if (typeof i.action?.button !== 'string' || !i.action.button || chars(i.action.button) > 20) return 'Param interactive[\'action\'][\'button\'] is required, at most 20 characters';
  if ((i.action.sections ?? []).some((s: any) => chars(s.title ?? '') > 24)) return 'A section title has at most 24 characters';
  if (rows.length < 1 || rows.length > 10) return 'A list message has 1 to 10 rows';
  if (rows.some((r: any) => !r.id || r.id.length > 200 || !r.title || chars(r.title) > 24 || chars(r.description ?? '') > 72)) return 'A row has an id (at most 200 characters), a title (at most 24) and a description of at most 72';
  return null;
}

/**
 * Characters as a person counts them (an emoji one): Meta's pages give titles in "characters" and
 * say emoji are supported in them (reply buttons: "Emojis are supported, markdown is not. Maximum
 * length of 20 characters", interactive-reply-buttons-messages; Meta's WhatsApp-Nodejs-SDK
 * ButtonObject says the same). Which unit Graph counts internally is not documented: this is the
 * stand-in's reading, the one lib/contracts/choice-limits.ts takes.
 */
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
const chars = (s: string) => [...segmenter.segment(s)].length;

/**
 * An interactive reply-buttons message Meta would refuse
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages:
 * body ≤ 1024, 1 to 3 buttons, a button's title ≤ 20 and unique, its id ≤ 256).
 */
function interactiveButtonsProblem(i: any): string | null {
  const buttons: any[] = i.action?.buttons ?? [];
  if (typeof i.body?.text !== 'string' || !i.body.text || chars(i.body.text) > 1024) return 'Param interactive[\'body\'][\'text\'] is required, at most 1024 characters';
  if (buttons.length < 1 || buttons.length > 3) return 'Param interactive[\'action\'][\'buttons\'] must have 1 to 3 buttons';
  if (buttons.some((b) => !b.reply?.id || b.reply.id.length > 256 || !b.reply?.title || chars(b.reply.title) > 20)) return 'A reply button has an id (at most 256 characters) and a title of at most 20 characters';
  if (new Set(buttons.map((b) => b.reply.title)).size !== buttons.length) return 'Reply button titles must be unique';
  return null;
}

/**
 * Quick replies Messenger would refuse (https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies:
 * "up to 13 quick reply buttons"; a text quick reply needs a non-empty title). A title past 20
 * characters is shown cut, not refused ("each quick reply allows up to 20 characters before being
 * truncated", https://developers.facebook.com/docs/messenger-platform/instagram/features/quick-replies/).
 */
function quickRepliesProblem(q: any): string | null {
  if (q === undefined) return null;
  if (!Array.isArray(q) || q.length > 13) return 'param message[quick_replies] must have at most 13 elements';
  if (q.some((r: any) => r.content_type === 'text' && !r.title)) return 'param message[quick_replies][title] must be non-empty';
  return null;
}

let seq = 0;
const fbtrace = () => `A${(++seq).toString(36).padStart(10, 'x')}`;

export async function startGraphStandIn(): Promise<GraphStandIn> {
  const phones = new Map<string, { token: string; display_phone_number: string; verified_name: string; businessAccountId?: string }>();
  const pages = new Map<string, { token: string; name: string }>();
  const adAccounts = new Map<string, StandInAdAccount>();
  const businessAccounts = new Map<string, { tokens: Set<string>; templates: StandInTemplate[]; phoneNumberIds: string[] }>();
  const businessAccount = (id: string) => businessAccounts.get(id) ?? businessAccounts.set(id, { tokens: new Set(), templates: [], phoneNumberIds: [] }).get(id)!;
  const denied = new Map<string, Set<string>>();
  const knownToken = (token: string) => [...phones.values(), ...pages.values(), ...adAccounts.values()].some((x) => x.token === token)
    || [...businessAccounts.values()].some((b) => b.tokens.has(token));
  const profiles = new Map<string, { pageId: string; first_name: string; last_name: string; delayMs: number }>();
  const media = new Map<string, { phoneNumberId: string; mimeType: string; body: Buffer }>();
  const failures: GraphErrorAnswer[] = [];
  const delays: { ms: number; onPath?: string | undefined }[] = [];
  const held = new WeakMap<ServerResponse, number>();
  const dropped: string[] = [];
  const sent: SentMessage[] = [];
  const requests: { method: string; path: string }[] = [];
  const expired = new Set<string>();
  const malformed = new Set<string>();
  const callbacks: { wamid: string; status: string; answer: number }[] = [];
  let callbackTarget: { webhookUrl: string; appSecret: string; statuses: string[]; beforeAnswer?: boolean } | null = null;
  let answerHook: ((sent: { wamid: string; to: string }) => Promise<void>) | null = null;
  const postStatuses = async (phoneNumberId: string, wamid: string, to: string) => {
    if (!callbackTarget) return;
    for (const status of callbackTarget.statuses) {
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: 'WABA_ID', changes: [{ field: 'messages', value: {
          messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
          statuses: [{ id: wamid, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to, conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'service' } }],
        } }] }],
      });
      const signature = `sha256=${createHmac('sha256', callbackTarget.appSecret).update(raw).digest('hex')}`;
      const res = await fetch(callbackTarget.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw }).catch(() => null);
      callbacks.push({ wamid, status, answer: res?.status ?? 0 });
      await res?.text().catch(() => '');
    }
  };

  let echoTarget: { webhookUrl: string; appSecret: string; beforeAnswer?: boolean } | null = null;
  const postEcho = async (pageId: string, mid: string, body: any) => {
    if (!echoTarget) return;
    const m = body.message ?? {};
    const raw = JSON.stringify({
      object: 'page',
      entry: [{ id: pageId, time: Date.now(), messaging: [{
        sender: { id: pageId }, recipient: { id: body.recipient.id }, timestamp: Date.now(),
        message: {
          is_echo: true, app_id: 1517776481860111, ...(typeof m.metadata === 'string' ? { metadata: m.metadata } : {}), mid,
          ...(m.text ? { text: m.text } : {}),
          ...(m.attachment ? { attachments: [{ type: m.attachment.type, payload: { url: m.attachment.payload?.url } }] } : {}),
        },
      }] }],
    });
    const signature = `sha256=${createHmac('sha256', echoTarget.appSecret).update(raw).digest('hex')}`;
    const res = await fetch(echoTarget.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw }).catch(() => null);
    await res?.text().catch(() => '');
  };

  let refusalTarget: { webhookUrl: string; appSecret: string; recipients: string[]; beforeAnswer?: boolean } | null = null;
  const refusals: { wamid: string; answer: number }[] = [];
  const refusalBodies = new Map<string, { raw: string; signature: string }>();
  const postSigned = async (signed: { raw: string; signature: string }) => {
    const res = await fetch(refusalTarget!.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signed.signature }, body: signed.raw }).catch(() => null);
    await res?.text().catch(() => '');
    return res?.status ?? 0;
  };
  const postRefusal = async (phoneNumberId: string, wamid: string, to: string) => {
    const raw = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA_ID', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
        statuses: [{
          id: wamid, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: to,
          errors: [{
            code: 131047, title: 'Re-engagement message', message: 'Re-engagement message',
            error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
          }],
        }],
      } }] }],
    });
    const signed = { raw, signature: `sha256=${createHmac('sha256', refusalTarget!.appSecret).update(raw).digest('hex')}` };
    refusalBodies.set(wamid, signed);
    refusals.push({ wamid, answer: await postSigned(signed) });
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const ms = held.get(res);
    if (ms) setTimeout(write, ms); else write();
  };
  const fail = (res: ServerResponse, a: GraphErrorAnswer) => send(res, a.status, { error: { ...a.error, fbtrace_id: fbtrace() } }, a.headers);
  const badParam = (res: ServerResponse, message: string) => fail(res, { status: 400, error: { message: `(#100) ${message}`, type: 'OAuthException', code: 100 } });
  const unknownObject = (res: ServerResponse, id: string) => fail(res, graphErrors.unknownObject(id));
  // Cursor paging (https://developers.facebook.com/docs/graph-api/results): `limit` up to `max`, `after` a cursor.
  const cursorPage = <T>(url: URL, list: T[], max: number) => {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 25) || 25, max);
    const start = Number(Buffer.from(url.searchParams.get('after') ?? '', 'base64url').toString() || 0);
    const data = list.slice(start, start + limit);
    const end = start + data.length;
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    return { data, paging: { cursors: { before: cursor(start), after: cursor(end) }, ...(end < list.length ? { next: `${url.origin}${url.pathname}?after=${cursor(end)}&limit=${limit}` } : {}) } };
  };

  const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
    let data = '';
    req.on('data', (c) => { data += c; });
    req.on('end', () => resolve(data));
  });

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const delayAt = delays.findIndex((d) => !d.onPath || url.pathname.endsWith(d.onPath));
    if (delayAt >= 0) {
      held.set(res, delays.splice(delayAt, 1)[0]!.ms);
      res.on('close', () => { if (!res.writableFinished) dropped.push(url.pathname); });
    }
    const raw = await readBody(req);
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? url.searchParams.get('access_token') ?? '';
    const json = (() => { try { return raw ? JSON.parse(raw) : undefined; } catch { return undefined; } })();
    const at = failures.findIndex((f) => (!f.onPath || url.pathname.endsWith(f.onPath)) && (!f.onBody || (json !== undefined && f.onBody(json))));
    const failure = at < 0 ? undefined : failures.splice(at, 1)[0];
    if (failure) return fail(res, failure);
    if (expired.has(bearer)) return fail(res, graphErrors.expiredToken());
    if (malformed.has(bearer)) return fail(res, graphErrors.malformedToken(bearer));
    if (url.pathname === '/whatsapp_business/attachments/') {
      // Download Media: the URL answers the bytes with their type, for the number's token only;
      // 404 without a body once it expired (5 minutes) or for media it does not know.
      const m = media.get(url.searchParams.get('mid') ?? '');
      if (!m || Number(url.searchParams.get('ext')) * 1000 < Date.now()) { res.writeHead(404); return res.end(); }
      if (bearer !== phones.get(m.phoneNumberId)?.token) return fail(res, { ...graphErrors.invalidToken(), status: 401 });
      res.writeHead(200, { 'content-type': m.mimeType, 'content-length': String(m.body.length) });
      return res.end(m.body);
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== GRAPH_VERSION) return badParam(res, `Unknown path components: /${parts[0] ?? ''}`);
    const [, id = '', edge] = parts;
    const account = adAccounts.get(id);
    if (account) {
      if (bearer !== account.token) return fail(res, graphErrors.invalidToken());
      // GET /act_{id}?fields=name,account_status: https://developers.facebook.com/docs/marketing-api/reference/ad-account/
      if (req.method === 'GET' && !edge) return send(res, 200, { name: account.name, account_status: 1, id });
      if (req.method === 'GET' && edge === 'ads') {
        // GET /act_{id}/ads: https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/
        // Without an effective_status filter ARCHIVED and DELETED ads are left out; cursor paging:
        // https://developers.facebook.com/docs/graph-api/results
        let statuses: string[] | null = null;
        try { statuses = url.searchParams.has('effective_status') ? JSON.parse(url.searchParams.get('effective_status')!) : null; } catch { return badParam(res, 'Param effective_status must be a JSON array'); }
        const listed = account.ads.filter((a) => (statuses ? statuses.includes(a.effective_status) : !['ARCHIVED', 'DELETED'].includes(a.effective_status)));
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 25) || 25, 500);
        const start = Number(Buffer.from(url.searchParams.get('after') ?? '', 'base64url').toString() || 0);
        const data = listed.slice(start, start + limit);
        const end = start + data.length;
        const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
        const paging = { cursors: { before: cursor(start), after: cursor(end) }, ...(end < listed.length ? { next: `${url.origin}${url.pathname}?after=${cursor(end)}&limit=${limit}` } : {}) };
        return send(res, 200, { data, paging });
      }
      return badParam(res, `Unsupported ${req.method} request on ${url.pathname}`);
    }
    const business = businessAccounts.get(id);
    if (business) {
      // A valid token not given access to this account: Meta cannot load the object for it (100/33).
      if (!business.tokens.has(bearer)) return knownToken(bearer) ? unknownObject(res, id) : fail(res, graphErrors.invalidToken());
      if (req.method !== 'GET' || (edge !== 'message_templates' && edge !== 'phone_numbers')) return badParam(res, `Unsupported ${req.method} request on ${url.pathname}`);
      if (denied.get(bearer)?.has('whatsapp_business_management')) return fail(res, graphErrors.missingPermission('whatsapp_business_management'));
      const pick = (o: object, fields: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => fields.includes(k)));
      if (edge === 'phone_numbers') {
        // GET /{waba-id}/phone_numbers: https://developers.facebook.com/docs/whatsapp/business-management-api/manage-phone-numbers
        // (data of verified_name, display_phone_number, id, quality_rating; the most recently onboarded
        // first; cursor paging as in https://developers.facebook.com/documentation/business-messaging/whatsapp/solution-providers/manage-phone-numbers/)
        const fields = (url.searchParams.get('fields') ?? 'verified_name,display_phone_number,id,quality_rating').split(',');
        const numbers = [...business.phoneNumberIds].reverse().map((n) => ({ verified_name: phones.get(n)!.verified_name, display_phone_number: phones.get(n)!.display_phone_number, id: n, quality_rating: 'GREEN' }));
        const { data, paging } = cursorPage(url, numbers, 100);
        return send(res, 200, { data: data.map((n) => pick(n, fields)), paging });
      }
      // `fields` picks what is returned; `name` filters by name ("GET <WABA_ID>/message_templates?name=<TEMPLATE_NAME>",
      // https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/).
      const fields = (url.searchParams.get('fields') ?? 'name,parameter_format,components,language,status,category,id').split(',');
      const named = url.searchParams.get('name');
      const { data, paging } = cursorPage(url, named ? business.templates.filter((t) => t.name.includes(named)) : business.templates, 100);
      return send(res, 200, { data: data.map((t) => pick(t, fields)), paging });
    }
    const medium = media.get(id);
    if (medium && req.method === 'GET' && !edge) {
      // Retrieve Media URL: the number's token; `phone_number_id`, when given, must be the media's number.
      if (bearer !== phones.get(medium.phoneNumberId)?.token) return knownToken(bearer) ? unknownObject(res, id) : fail(res, graphErrors.invalidToken());
      const owner = url.searchParams.get('phone_number_id');
      if (owner && owner !== medium.phoneNumberId) return unknownObject(res, id);
      const hash = createHmac('sha256', 'standin').update(id).digest('hex').slice(0, 16);
      return send(res, 200, {
        messaging_product: 'whatsapp', id, mime_type: medium.mimeType, file_size: String(medium.body.length),
        sha256: createHash('sha256').update(medium.body).digest('hex'),
        url: `http://${req.headers.host}/whatsapp_business/attachments/?mid=${id}&ext=${Math.floor(Date.now() / 1000) + 300}&hash=${hash}`,
      });
    }
    const profile = profiles.get(id);
    if (profile && req.method === 'GET' && !edge) {
      // GET /{psid}?fields=first_name,last_name: https://developers.facebook.com/docs/messenger-platform/identity/user-profile
      if (bearer !== pages.get(profile.pageId)?.token) return fail(res, graphErrors.invalidToken());
      if (profile.delayMs) await new Promise((r) => setTimeout(r, profile.delayMs));
      if (res.destroyed) return;
      return send(res, 200, { first_name: profile.first_name, last_name: profile.last_name, id });
    }
    const phone = phones.get(id);
    const page = pages.get(id);
    if (!phone && !page) return unknownObject(res, id);
    if (bearer !== (phone ?? page)!.token) return fail(res, graphErrors.invalidToken());

    if (req.method === 'GET' && !edge) {
      // GET /{phone-number-id}: https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/
      if (phone) return send(res, 200, { display_phone_number: phone.display_phone_number, verified_name: phone.verified_name, id });
      // GET /{page-id}?fields=id,name: https://developers.facebook.com/docs/graph-api/reference/page/
      return send(res, 200, { name: page!.name, id });
    }
    if (req.method === 'POST' && edge === 'messages') {
      let body: any;
      try { body = JSON.parse(raw); } catch { return badParam(res, 'The parameter messaging_product is required.'); }
      if (phone) {
        if (body.messaging_product !== 'whatsapp') return badParam(res, 'The parameter messaging_product is required.');
        if (typeof body.to !== 'string' || !body.to) return badParam(res, 'The parameter to is required.');
        const type = body.type ?? 'text';
        if (!(type in body)) return badParam(res, `The parameter ${type} is required.`);
        const listProblem = type === 'interactive' && body.interactive?.type === 'list' ? interactiveListProblem(body.interactive)
          : type === 'interactive' && body.interactive?.type === 'button' ? interactiveButtonsProblem(body.interactive) : null;
        if (listProblem) return badParam(res, listProblem);
        // A caption of at most 1024 characters (image, video and document messages:
        // https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/).
        if (typeof body[type]?.caption === 'string' && body[type].caption.length > 1024) return badParam(res, `Param ${type}['caption'] must be at most 1024 characters long.`);
        // A template the stand-in was given is checked as Meta checks it; others go through unchecked.
        const known = type === 'template' ? [...businessAccounts.values()].flatMap((a) => a.templates).find((t) => t.name === body.template?.name && t.language === body.template?.language?.code) : undefined;
        const refused = known && templateSendProblem(known, body.template.components);
        if (refused) return fail(res, refused);
        const wamid = `wamid.${Buffer.from(`${id}-${sent.length + 1}-${Date.now()}`).toString('base64url')}`;
        sent.push({ kind: 'whatsapp', accountId: id, body, id: wamid, token: bearer });
        // https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages (response)
        // The status webhooks may even reach the companion before this answer does (beforeAnswer).
        if (callbackTarget?.beforeAnswer) await postStatuses(id, wamid, body.to);
        await answerHook?.({ wamid, to: body.to });
        const refuse = refusalTarget && type !== 'template' && refusalTarget.recipients.includes(body.to);
        if (refuse && refusalTarget!.beforeAnswer) await postRefusal(id, wamid, body.to);
        send(res, 200, { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: wamid }] });
        if (!callbackTarget?.beforeAnswer) void postStatuses(id, wamid, body.to);
        if (refuse && !refusalTarget!.beforeAnswer) void postRefusal(id, wamid, body.to);
        return;
      }
      if (!body.recipient?.id) return badParam(res, 'param recipient must be non-empty.');
      if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(body.messaging_type)) return badParam(res, 'param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
      if (body.messaging_type === 'MESSAGE_TAG' && !body.tag) return badParam(res, 'Param tag must be set when messaging_type is MESSAGE_TAG');
      if (!body.message?.text && !body.message?.attachment) return badParam(res, 'param message must be non-empty.');
      const quickProblem = quickRepliesProblem(body.message.quick_replies);
      if (quickProblem) return badParam(res, quickProblem);
      const mid = `m_${Buffer.from(`${id}-${sent.length + 1}-${Date.now()}`).toString('base64url')}`;
      sent.push({ kind: 'messenger', accountId: id, body, id: mid, token: bearer });
      if (echoTarget?.beforeAnswer) await postEcho(id, mid, body);
      // https://developers.facebook.com/docs/messenger-platform/reference/send-api (response)
      send(res, 200, { recipient_id: body.recipient.id, message_id: mid });
      if (echoTarget && !echoTarget.beforeAnswer) void postEcho(id, mid, body);
      return;
    }
    return badParam(res, `Unsupported ${req.method} request on ${url.pathname}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${GRAPH_VERSION}`,
    addPhoneNumber: (p) => {
      const businessAccountId = p.businessAccountId ?? phones.get(p.id)?.businessAccountId;
      phones.set(p.id, { token: p.token, display_phone_number: p.displayPhoneNumber ?? '+1 555-078-3881', verified_name: p.verifiedName ?? 'Acme Support', ...(businessAccountId ? { businessAccountId } : {}) });
      if (!businessAccountId) return;
      const account = businessAccount(businessAccountId);
      account.tokens.add(p.token);
      if (!account.phoneNumberIds.includes(p.id)) account.phoneNumberIds.push(p.id);
    },
    addPage: (p) => { pages.set(p.id, { token: p.token, name: p.name ?? 'Acme Store' }); },
    addProfile: (p) => { profiles.set(p.psid, { pageId: p.pageId, first_name: p.firstName, last_name: p.lastName, delayMs: p.delayMs ?? 0 }); },
    addBusinessAccount: (a) => { const account = businessAccount(a.id); account.tokens.add(a.token); account.templates = a.templates; },
    withoutPermission: (token, permission) => { denied.set(token, (denied.get(token) ?? new Set()).add(permission)); },
    addAdAccount: (a) => { const account = { id: a.id, token: a.token, name: a.name ?? 'Acme Ads', ads: a.ads }; adAccounts.set(a.id, account); return account; },
    addMedia: (m) => { media.set(m.id, { phoneNumberId: m.phoneNumberId, mimeType: m.mimeType, body: m.body }); },
    failNext: (...answers) => { failures.push(...answers); },
    delayNext: (ms, onPath) => { delays.push({ ms, onPath }); },
    dropped,
    expireToken: (token) => { expired.add(token); },
    malformToken: (token) => { malformed.add(token); },
    statusCallbacks: (o) => { callbackTarget = o; },
    beforeWhatsAppAnswer: (hook) => { answerHook = hook; },
    messengerEchoes: (o) => { echoTarget = o; },
    refuseLater: (o) => { refusalTarget = o; },
    redeliverRefusal: async (wamid) => {
      const signed = refusalBodies.get(wamid);
      if (!signed) throw new Error(`No refusal was posted for ${wamid}`);
      return postSigned(signed);
    },
    refusals,
    callbacks,
    sent,
    requests,
    refuseConnections: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    acceptConnections: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
