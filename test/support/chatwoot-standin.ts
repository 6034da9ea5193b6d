import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { contactUpdate } from './chatwoot-standin-contacts';
import { agentBotsRoute, botRefusal, type CwStandinBot, type CwStandinBotOptions } from './chatwoot-standin-bots';

/**
 * A stand-in for a Chatwoot server (REST API + outgoing webhooks), real HTTP on 127.0.0.1.
 * Shapes and errors follow chatwoot/chatwoot (develop @ 79381a4c, v4.9.1) as cited beside each
 * route; webhook bodies follow the presenters cited in the shared FACTS.md §1 (and its payloads/).
 * The product talks to it exactly as to a real Chatwoot: only the base URL differs.
 */
export interface CwStandinContact { id: number; name: string; email: string | null; phone_number: string | null; custom_attributes: Record<string, unknown>; updated_at: number }
/**
 * `in_reply_to`: the id of the message it quotes (a customer's swiped reply); Chatwoot keeps it in
 * content_attributes with `in_reply_to_external_id`, the quoted message's source_id
 * (Messages::InReplyToMessageBuilder, app/builders/messages/in_reply_to_message_builder.rb).
 */
export interface CwStandinMessage {
  id: number; content: string; message_type: 0 | 1 | 2 | 3; private: boolean; created_at: number; sender_type: 'Contact' | 'User' | 'AgentBot'; sender_id?: number; attachments?: CwStandinAttachment[]; in_reply_to?: number;
  /** Changed since it was written (chatwoot-standin-edits.ts): its `updated_at` (an ISO string in push_event_data, the record's attributes) and a deletion. */
  updated_at?: string; deleted?: boolean;
}
/**
 * Attachment#push_event_data (app/models/attachment.rb): base_data (id, message_id, file_type,
 * account_id) with file_metadata for files (extension, data_url, thumb_url, file_size, width,
 * height), or fallback_title and data_url (the external URL) for a location or fallback.
 */
export interface CwStandinAttachment {
  id: number; message_id: number; file_type: string; account_id: number; data_url: string;
  extension?: string | null; thumb_url?: string; file_size?: number; width?: number | null; height?: number | null; fallback_title?: string;
}
export interface CwStandinConversation { id: number; contactId: number; status: 'open' | 'resolved' | 'pending' | 'snoozed'; labels: string[]; assigneeId: number | null; teamId?: number | null; messages: CwStandinMessage[]; created_at: number; updated_at: number; last_activity_at: number; inboxId: number }
/**
 * An inbox as GET …/inboxes lists it (app/views/api/v1/models/_inbox.json.jbuilder: id, name, channel_type, and
 * `medium` for Twilio, whose channel is SMS or WhatsApp); documented at https://developers.chatwoot.com/api-reference/inboxes.
 */
export interface CwStandinInbox { id: number; name: string; channel_type: string; medium?: 'sms' | 'whatsapp' }
/** `at`: when it arrived (Date.now()). */
export interface CwRequest { method: string; path: string; body: any; at: number }
export interface CwFault { status: number; contentType: string; body: string; headers?: Record<string, string> }

/** What stands in front of Chatwoot answers when it cannot, byte for byte. */
export const cwFaults = {
  // Rack::Attack's default throttled responder (rack-attack lib/rack/attack/configuration.rb), used by
  // Chatwoot's config/initializers/rack_attack.rb ('req/ip': RACK_ATTACK_LIMIT, 3,000 a minute).
  throttled: (): CwFault => ({ status: 429, contentType: 'text/plain', body: 'Retry later\n' }),
  // A revoked or mistyped token: AccessTokenAuthHelper#authenticate_access_token!
  // (app/controllers/concerns/access_token_auth_helper.rb) renders render_unauthorized('Invalid Access Token'),
  // `{ error }` with 401 (request_exception_handler.rb).
  invalidToken: (): CwFault => ({ status: 401, contentType: 'application/json; charset=utf-8', body: JSON.stringify({ error: 'Invalid Access Token' }) }),
  // nginx's built-in error pages (src/http/ngx_http_special_response.c), while the app restarts.
  badGateway: (): CwFault => ({ status: 502, contentType: 'text/html', body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' }),
  unavailable: (): CwFault => ({ status: 503, contentType: 'text/html', body: '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' }),
};

export interface ChatwootStandin extends CwStandinBotOptions {
  url: string;
  /** The account's agent bots (chatwoot-standin-bots.ts). */
  bots: CwStandinBot[];
  accountId: number;
  token: string;
  user: { id: number; name: string; email: string };
  /** The token's user's role in the account (the profile's accounts[].role): administrator or agent. */
  role: 'administrator' | 'agent';
  /** The account's inboxes; a conversation is in one of them (`inboxId`, 3 "Website" unless said). */
  inboxes: CwStandinInbox[];
  agents: { id: number; name: string; email: string }[];
  /**
   * The account's teams as GET …/teams lists them (teams/index.json.jbuilder over models/_team.json.jbuilder;
   * https://developers.chatwoot.com/api-reference/teams/list-all-teams).
   */
  teams: { id: number; name: string; description: string; allow_auto_assign: boolean }[];
  /** Labels defined in the account: Chatwoot drops any other label posted (LabelConcern#valid_labels). */
  accountLabels: Set<string>;
  contacts: Map<number, CwStandinContact>;
  conversations: Map<number, CwStandinConversation>;
  requests: CwRequest[];
  /** Every answer waits this long (Chatwoot slow under load); 0 unless set. */
  answerDelayMs: number;
  /** Runs once, right after the next GET …/labels is answered: simulates an agent acting meanwhile. */
  afterNextLabelsRead?: (() => void) | undefined;
  /**
   * Awaited once, after the next POST …/messages is saved and before it is answered: Chatwoot's
   * message_created webhook (a Sidekiq job after the commit) may reach the companion first.
   */
  beforeNextMessageAnswer?: ((conversationId: number, messageId: number) => Promise<void>) | undefined;
  /** Awaited once, after the next PUT …/contacts/{id} is saved and before it is answered: its contact_updated webhook may come first. */
  beforeNextContactAnswer?: ((contactId: number) => Promise<void>) | undefined;
  /** Answers the next requests matching `method path` (a RegExp on "POST /api/…") with these, in order, before Chatwoot's routes see them. */
  failNext(match: RegExp, ...answers: CwFault[]): void;
  /** Stops listening (connections are refused, as while Chatwoot restarts) until `up()`, on the same port. */
  down(): Promise<void>;
  up(): Promise<void>;
  addContact(c: Partial<CwStandinContact> & { name: string }): CwStandinContact;
  addConversation(c: { contactId: number; status?: CwStandinConversation['status']; labels?: string[]; firstMessage?: { content: string; incoming: boolean }; inboxId?: number }): CwStandinConversation;
  touch(c: { updated_at: number }): void;
  conversationPayload(id: number, event: string, changed?: Record<string, { previous_value: unknown; current_value: unknown }> | null): Record<string, unknown>;
  contactPayload(id: number, event: string, changed?: Record<string, { previous_value: unknown; current_value: unknown }>): Record<string, unknown>;
  messagePayload(conversationId: number, messageId: number, html?: boolean): Record<string, unknown>;
  /**
   * A file as Chatwoot stores it for a message: its data_url is ActiveStorage's redirect URL on
   * Chatwoot's host, ending in the file name (url_for(file), rails/active_storage routes).
   */
  fileAttachment(messageId: number, f: { fileType: 'image' | 'audio' | 'video' | 'file'; name: string; size?: number }): CwStandinAttachment;
  /** POSTs a webhook as lib/webhooks/trigger.rb does; signed like Chatwoot ≥ 4.11.2 when a secret is given. */
  deliver(url: string, body: Record<string, unknown>, opts?: { secret?: string; deliveryId?: string; timestamp?: number }): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
  /**
   * Its admin put TLS in front of it: from now on it answers HTTPS only, on the same port, with
   * this certificate (test/support/loopback-tls.ts); `url` becomes https://…
   */
  serveTls(creds: { key: string; cert: string }): Promise<void>;
}

const now = () => Date.now() / 1000;

export async function startChatwootStandin(opts: { accountId?: number; token?: string } = {}): Promise<ChatwootStandin> {
  const accountId = opts.accountId ?? 1;
  let seq = 9000;
  const s: ChatwootStandin = {
    url: '', accountId, token: opts.token ?? 'cw_token_valid_1234',
    user: { id: 7, name: 'Alex Agent', email: 'alex@example.com' },
    role: 'administrator',
    inboxes: [{ id: 3, name: 'Website', channel_type: 'Channel::WebWidget' }],
    agents: [{ id: 7, name: 'Alex Agent', email: 'alex@example.com' }, { id: 8, name: 'Bea Boss', email: 'bea@example.com' }],
    teams: [{ id: 2, name: 'Sales', description: 'New customers', allow_auto_assign: false }, { id: 5, name: 'Support', description: '', allow_auto_assign: false }],
    accountLabels: new Set(['shipping', 'vip', 'refund', 'billing']),
    contacts: new Map(), conversations: new Map(), requests: [], answerDelayMs: 0,
    bots: [], agentBotsApi: true, botTokenInAnswers: true, botAccountGate: 'account',
    addContact(c) {
      const contact: CwStandinContact = { id: c.id ?? ++seq, email: null, phone_number: null, custom_attributes: {}, updated_at: now(), ...c };
      s.contacts.set(contact.id, contact);
      return contact;
    },
    addConversation(c) {
      const t = now();
      const id = Math.max(100, ...s.conversations.keys()) + 1;
      const conv: CwStandinConversation = { id, contactId: c.contactId, status: c.status ?? 'open', labels: c.labels ?? [], assigneeId: null, messages: [], created_at: Math.floor(t), updated_at: t, last_activity_at: Math.floor(t), inboxId: c.inboxId ?? 3 };
      if (c.firstMessage) conv.messages.push({ id: ++seq, content: c.firstMessage.content, message_type: c.firstMessage.incoming ? 0 : 1, private: false, created_at: Math.floor(t), sender_type: c.firstMessage.incoming ? 'Contact' : 'User' });
      s.conversations.set(id, conv);
      return conv;
    },
    // Chatwoot's updated_at is a float in webhooks (event_data_presenter.rb); strictly increasing here.
    touch(o) { o.updated_at = Math.max(now(), o.updated_at + 0.001); },
    conversationPayload(id, event, changed) {
      const body: Record<string, unknown> = { ...conversationJson(s, s.conversations.get(id)!), event };
      if (event !== 'conversation_created') body.changed_attributes = changed === null ? null : Object.entries(changed ?? {}).map(([k, v]) => ({ [k]: v }));
      return body;
    },
    contactPayload(id, event, changed) {
      // Contact#webhook_data (app/models/contact.rb:165-179): no updated_at; changed_attributes carries it (base_listener.rb:32-38).
      const c = s.contacts.get(id)!;
      const body: Record<string, unknown> = { account: { id: accountId, name: 'Acme Support' }, additional_attributes: {}, avatar: '', custom_attributes: c.custom_attributes, email: c.email, id: c.id, identifier: null, name: c.name, phone_number: c.phone_number, thumbnail: '', blocked: false, event };
      if (changed) body.changed_attributes = Object.entries(changed).map(([k, v]) => ({ [k]: v }));
      return body;
    },
    messagePayload(conversationId, messageId, html = true) {
      // Message#webhook_data (app/models/message.rb:171-189); content rendered as HTML for WebWidget inboxes (FACTS §1).
      const conv = s.conversations.get(conversationId)!;
      const m = conv.messages.find((x) => x.id === messageId)!;
      const contact = s.contacts.get(conv.contactId)!;
      return {
        account: { id: accountId, name: 'Acme Support' }, additional_attributes: {}, content_attributes: contentAttributes(m), content_type: 'text',
        content: html ? `<p>${m.content.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>\n` : m.content,
        conversation: conversationJson(s, conv), created_at: new Date(m.created_at * 1000).toISOString(), id: m.id, inbox: { id: conv.inboxId, name: inboxOf(s, conv).name },
        message_type: ['incoming', 'outgoing', 'activity', 'template'][m.message_type], private: m.private,
        // AgentBot#webhook_data (app/models/agent_bot.rb): `{ id, name, type: 'agent_bot' }`.
        sender: m.sender_type === 'Contact' ? { account: { id: accountId }, ...contactJson(contact) }
          : m.sender_type === 'AgentBot' ? { id: m.sender_id, name: s.bots.find((b) => b.id === m.sender_id)?.name ?? null, type: 'agent_bot' }
          : { id: s.user.id, name: s.user.name, type: 'user' },
        source_id: null, event: 'message_created',
        // webhook_data: `data[:attachments] = attachments.map(&:push_event_data) if attachments.present?`
        ...(m.attachments?.length ? { attachments: m.attachments } : {}),
      };
    },
    fileAttachment(messageId, f) {
      const signed = Buffer.from(`blob-${++seq}`).toString('base64url');
      const image = f.fileType === 'image';
      return {
        id: ++seq, message_id: messageId, file_type: f.fileType, account_id: accountId, extension: null,
        data_url: `${s.url}/rails/active_storage/blobs/redirect/${signed}/${encodeURIComponent(f.name)}`,
        thumb_url: image ? `${s.url}/rails/active_storage/representations/redirect/${signed}/${encodeURIComponent(f.name)}` : '',
        file_size: f.size ?? 48_213, width: image ? 1024 : null, height: image ? 768 : null,
      };
    },
    async deliver(url, body, o = {}) {
      const raw = JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'rest-client' };
      if (o.secret) {
        // Chatwoot ≥ 4.11.2 (#13573): X-Chatwoot-Signature = "sha256=" + hex HMAC-SHA256(secret, "{timestamp}.{raw_body}").
        const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
        headers['x-chatwoot-timestamp'] = ts;
        headers['x-chatwoot-signature'] = `sha256=${createHmac('sha256', o.secret).update(`${ts}.${raw}`).digest('hex')}`;
        headers['x-chatwoot-delivery'] = o.deliveryId ?? randomUUID();
      } else if (o.deliveryId) headers['x-chatwoot-delivery'] = o.deliveryId;
      const res = await fetch(url, { method: 'POST', headers, body: raw });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* keep text */ }
      return { status: res.status, body: parsed };
    },
    close: async () => {},
    failNext(match, ...answers) { for (const a of answers) faults.push({ match, answer: a }); },
    down: async () => {},
    up: async () => {},
    serveTls: async () => {},
  };
  const faults: { match: RegExp; answer: CwFault }[] = [];

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://standin');
      let body: any;
      try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined; } catch { body = undefined; }
      s.requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body, at: Date.now() });
      if (s.answerDelayMs > 0) await new Promise((r) => setTimeout(r, s.answerDelayMs));
      const fault = faults.findIndex((f) => f.match.test(`${req.method} ${url.pathname}`));
      if (fault >= 0) {
        const { answer: a } = faults.splice(fault, 1)[0]!;
        res.writeHead(a.status, { 'content-type': a.contentType, ...a.headers });
        res.end(a.body);
        return;
      }
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(json));
      };
      // Rails' public/404.html for a route this Chatwoot does not have (ActionController::RoutingError in production).
      const rawNotFound = () => {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!DOCTYPE html>\n<html>\n<head>\n  <title>The page you were looking for doesn\'t exist (404)</title>\n</head>\n<body>\n</body>\n</html>\n');
      };
      route(s, req.method ?? 'GET', url, body, req.headers.api_access_token as string | undefined, answer, rawNotFound);
    });
  };
  let server: http.Server | https.Server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  s.url = `http://127.0.0.1:${port}`;
  s.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  s.down = s.close;
  s.up = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  s.serveTls = async (creds) => {
    await s.close();
    server = https.createServer(creds, handle);
    await s.up();
    s.url = `https://127.0.0.1:${port}`;
  };
  return s;
}

function contactJson(c: CwStandinContact) {
  // REST contact partial (app/views/api/v1/models/_contact.json.jbuilder): integer timestamps.
  return { additional_attributes: {}, custom_attributes: c.custom_attributes, email: c.email, id: c.id, identifier: null, name: c.name, phone_number: c.phone_number, thumbnail: '', blocked: false, type: 'contact' };
}

function conversationJson(s: ChatwootStandin, c: CwStandinConversation, rest = false) {
  // Conversations::EventDataPresenter#push_data (event_data_presenter.rb:2-50): id is the display id,
  // messages holds the last non-activity message with message_type as an integer.
  const contact = s.contacts.get(c.contactId)!;
  const last = c.messages.filter((m) => m.message_type !== 2 && !m.private).at(-1);
  const agent = s.agents.find((a) => a.id === c.assigneeId);
  // The inbox's channel type: top-level `channel` in webhooks (push_data), `meta.channel` in the REST
  // partial (api/v1/conversations/partials/_conversation.json.jbuilder); neither names the inbox.
  const channel = inboxOf(s, c).channel_type;
  return {
    additional_attributes: {}, can_reply: true, ...(rest ? {} : { channel }),
    contact_inbox: { id: 55, contact_id: contact.id, inbox_id: c.inboxId, source_id: `src-${contact.id}` },
    id: c.id, inbox_id: c.inboxId,
    messages: last ? [{ ...last, account_id: s.accountId, inbox_id: c.inboxId, conversation_id: c.id, status: 'sent', content_type: 'text', content_attributes: contentAttributes(last), sender_id: last.sender_type === 'Contact' ? contact.id : last.sender_id ?? s.user.id, processed_message_content: last.content }] : [],
    labels: [...c.labels],
    meta: {
      sender: contactJson(contact),
      ...(rest ? { channel } : {}),
      // Webhooks: User#push_event_data (no email); REST: the agent partial (models/_agent.json.jbuilder, with email).
      assignee: agent ? { id: agent.id, name: agent.name, available_name: agent.name, avatar_url: '', type: 'user', availability_status: 'online', thumbnail: '', ...(rest ? { email: agent.email, role: 'agent' } : {}) } : null,
      assignee_type: agent ? 'User' : null, team: null, hmac_verified: false,
    },
    status: c.status, custom_attributes: {}, snoozed_until: null, unread_count: 0, first_reply_created_at: null, priority: null, waiting_since: 0,
    agent_last_seen_at: 0, contact_last_seen_at: 0, last_activity_at: c.last_activity_at, timestamp: c.last_activity_at, created_at: c.created_at, updated_at: c.updated_at,
  };
}

// Message#content_attributes: `in_reply_to` and `in_reply_to_external_id` (the quoted message's source_id: none for an agent's or a workflow's message);
// `deleted: true` once deleted (shared FACTS payloads/message_updated.json).
const contentAttributes = (m: CwStandinMessage) => ({
  ...(m.in_reply_to ? { in_reply_to: m.in_reply_to, in_reply_to_external_id: null } : {}), ...(m.deleted ? { deleted: true } : {}),
});

type Answer = (status: number, json: unknown) => void;

const inboxOf = (s: ChatwootStandin, c: CwStandinConversation) =>
  s.inboxes.find((i) => i.id === c.inboxId) ?? { id: c.inboxId, name: `Inbox ${c.inboxId}`, channel_type: 'Channel::Api' };

function route(s: ChatwootStandin, method: string, url: URL, body: any, token: string | undefined, answer: Answer, rawNotFound: () => void) {
  // AccessTokenAuthHelper#authenticate_access_token! (access_token_auth_helper.rb:13-15) renders
  // `{ error: 'Invalid Access Token' }` with 401 (request_exception_handler.rb:26-28); a bot's token is an AccessToken too.
  const bot = token ? s.bots.find((b) => b.access_token === token) : undefined;
  if (token !== s.token && !bot) return answer(401, { error: 'Invalid Access Token' });
  const p = url.pathname;
  const refused = bot && botRefusal(s, bot, method, p);
  if (refused) return answer(401, refused);
  // GET /api/v1/profile (profiles/show.json.jbuilder → models/_user.json.jbuilder, includes the token and accounts[]).
  if (method === 'GET' && p === '/api/v1/profile') {
    return answer(200, { id: s.user.id, name: s.user.name, email: s.user.email, access_token: s.token, account_id: s.accountId, available_name: s.user.name, role: s.role, type: 'User', accounts: [{ id: s.accountId, name: 'Acme Support', status: 'active', role: s.role }] });
  }
  const m = /^\/api\/v1\/accounts\/(\d+)(\/.*)$/.exec(p);
  if (!m) return answer(404, { error: 'Resource could not be found' });
  // EnsureCurrentAccountHelper#account_accessible_for_user? (ensure_current_account_helper.rb:19-23).
  if (Number(m[1]) !== s.accountId) return answer(401, { error: 'You are not authorized to access this account' });
  const rest = m[2]!;
  const notFound = () => answer(404, { error: 'Resource could not be found' });
  if (agentBotsRoute(s, method, rest, body, answer, rawNotFound)) return;

  // InboxesController#index (inboxes/index.json.jbuilder): `{ payload: [inbox] }`; an agent sees only the inboxes they are a member of.
  if (method === 'GET' && rest === '/inboxes') return answer(200, { payload: s.inboxes.map((i) => ({ id: i.id, name: i.name, channel_id: i.id, channel_type: i.channel_type, avatar_url: '', ...(i.channel_type === 'Channel::TwilioSms' ? { medium: i.medium ?? 'sms' } : {}) })) });
  if (method === 'GET' && rest === '/teams') return answer(200, s.teams.map((t) => ({ ...t, account_id: s.accountId, is_member: false })));
  if (method === 'GET' && rest === '/agents') return answer(200, s.agents.map((a) => ({ ...a, available_name: a.name, role: 'agent', confirmed: true, availability_status: 'online', thumbnail: '' })));
  if (method === 'GET' && rest === '/conversations') {
    // ConversationFinder: status filter ('all' keeps every status), newest activity first, 25 per page (Kaminari default);
    // body `{ data: { meta, payload } }` (conversations/index.json.jbuilder).
    const status = url.searchParams.get('status') ?? 'open';
    const page = Number(url.searchParams.get('page') ?? 1);
    const all = [...s.conversations.values()].filter((c) => status === 'all' || c.status === status).sort((a, b) => b.last_activity_at - a.last_activity_at);
    return answer(200, { data: { meta: { mine_count: 0, assigned_count: 0, unassigned_count: all.length, all_count: all.length }, payload: all.slice((page - 1) * 25, page * 25).map((c) => conversationJson(s, c, true)) } });
  }
  const cm = /^\/conversations\/(\d+)(\/[a-z_]+)?$/.exec(rest);
  if (cm) {
    const conv = s.conversations.get(Number(cm[1]));
    if (!conv) return notFound(); // find_by!(display_id:) → RecordNotFound → 404 (conversations_controller.rb:177)
    const action = cm[2] ?? '';
    if (method === 'GET' && action === '') return answer(200, conversationJson(s, conv, true));
    if (action === '/labels') {
      // LabelConcern (app/controllers/concerns/label_concern.rb): index lists, create REPLACES with the account's valid labels; `{ payload: [...] }`.
      if (method === 'GET') {
        answer(200, { payload: [...conv.labels] });
        const after = s.afterNextLabelsRead;
        s.afterNextLabelsRead = undefined;
        after?.();
        return;
      }
      conv.labels = (Array.isArray(body?.labels) ? body.labels as string[] : []).filter((l) => s.accountLabels.has(l));
      s.touch(conv);
      return answer(200, { payload: [...conv.labels] });
    }
    if (method === 'POST' && action === '/messages') {
      // Messages::MessageBuilder; incoming only in API inboxes (message_builder.rb:98-104); the answer is the message.
      if (typeof body?.content !== 'string' || body.content === '') return answer(422, { error: 'Content is required' });
      // MessagesController#create: `user = Current.user || @resource`, the bot when its token is used (sender_type AgentBot).
      const msg: CwStandinMessage = { id: ++seqHolder.n, content: body.content, message_type: 1, private: Boolean(body.private), created_at: Math.floor(now()), sender_type: bot ? 'AgentBot' : 'User', ...(bot ? { sender_id: bot.id } : {}) };
      conv.messages.push(msg);
      conv.last_activity_at = msg.created_at;
      s.touch(conv);
      const before = s.beforeNextMessageAnswer;
      s.beforeNextMessageAnswer = undefined;
      // Message#push_event_data: an AgentBot sender is `push_event_data(inbox)`: `{ id, name, avatar_url, type: 'agent_bot' }`.
      const sender = bot ? { id: bot.id, name: bot.name, avatar_url: '', type: 'agent_bot' } : { id: s.user.id, name: s.user.name, type: 'user' };
      const reply = () => answer(200, { id: msg.id, content: msg.content, message_type: 1, private: msg.private, content_type: 'text', created_at: msg.created_at, conversation_id: conv.id, sender_type: msg.sender_type, sender });
      if (before) return void before(conv.id, msg.id).then(reply);
      return reply();
    }
    if (method === 'POST' && action === '/toggle_status') {
      // toggle_status.json.jbuilder: `{ meta: {}, payload: { success, conversation_id, current_status, snoozed_until } }`.
      if (!['open', 'resolved', 'pending', 'snoozed'].includes(body?.status)) return answer(422, { error: `'${body?.status}' is not a valid status` });
      conv.status = body.status;
      s.touch(conv);
      return answer(200, { meta: {}, payload: { success: true, conversation_id: conv.id, current_status: conv.status, snoozed_until: null } });
    }
    if (method === 'POST' && action === '/assignments' && body && !('assignee_id' in body) && 'team_id' in body) {
      // AssignmentsController#set_team: `teams.find_by(id:)`, `update!(team:)`, `render json: @team` (the
      // model's attributes), so an id the account has no team of unsets the team and answers null.
      const team = s.teams.find((t) => t.id === Number(body.team_id));
      conv.teamId = team?.id ?? null;
      s.touch(conv);
      return answer(200, team ? { ...team, account_id: s.accountId, created_at: new Date().toISOString(), updated_at: new Date().toISOString() } : null);
    }
    if (method === 'POST' && action === '/assignments') {
      // AssignmentsController#set_agent renders the agent partial, or `null` (assignments_controller.rb:33-45).
      const agent = s.agents.find((a) => a.id === Number(body?.assignee_id));
      conv.assigneeId = agent?.id ?? null;
      s.touch(conv);
      return answer(200, agent ? { ...agent, available_name: agent.name, role: 'agent', thumbnail: '' } : null);
    }
    return notFound();
  }
  const ct = /^\/contacts\/(\d+)(\/[a-z_]+)?$/.exec(rest);
  if (ct) {
    const contact = s.contacts.get(Number(ct[1]));
    if (!contact) return notFound();
    const action = ct[2] ?? '';
    // contacts/show|update.json.jbuilder: `{ payload: contact }`; PUT merges custom_attributes (contacts_controller.rb contact_custom_attributes).
    if (method === 'GET' && action === '') return answer(200, { payload: { ...contactJson(contact), updated_at: Math.floor(contact.updated_at) } });
    if (method === 'PUT' && action === '') {
      const changed = contactUpdate(s, contact, body);
      if ('message' in changed) return answer(422, changed);
      Object.assign(contact, changed);
      s.touch(contact);
      const reply = () => answer(200, { payload: { ...contactJson(contact), updated_at: Math.floor(contact.updated_at) } });
      const before = s.beforeNextContactAnswer;
      s.beforeNextContactAnswer = undefined;
      if (before) return void before(contact.id).then(reply);
      return reply();
    }
    if (method === 'POST' && action === '/destroy_custom_attributes') {
      for (const k of body?.custom_attributes ?? []) delete contact.custom_attributes[k];
      s.touch(contact);
      return answer(200, { payload: contactJson(contact) });
    }
  }
  return notFound();
}

const seqHolder = { n: 50_000 };

