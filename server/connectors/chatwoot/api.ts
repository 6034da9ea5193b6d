import { z } from 'zod';
import type { Cancellation } from '../../outbound/call';
import { OutboundBlockedError, OutboundCancelledError, OutboundError, OutboundNetworkError } from '../../outbound/errors';
import { isTransientStatus, parseRetryAfter, withRetries } from '../../outbound/retry';
import { safeFetch, type SafeFetchResponse } from '../../outbound/safe-fetch';
import { forgottenText } from '../../secrets/forgotten';
import { CwContact, CwConversation } from './payloads';
import { replaceNulDeep } from '../../../lib/workflow/nul-text';
import { shownAnswer, withoutSecrets } from './answer-secrets';

/**
 * Chatwoot's application REST API (base `/api/v1/accounts/{account_id}`, header
 * `api_access_token`: chatwoot/chatwoot app/controllers/concerns/access_token_auth_helper.rb:8-11).
 * Every call goes through the safe outbound path: a Chatwoot on a private address must be
 * allow-listed with COMPANION_ALLOW_PRIVATE_URLS. Errors say, in words, what to fix.
 */
export interface ChatwootTarget {
  baseUrl: string; accountId: number; token: string; allowList: string[];
  /** A workflow step's run cancel: the request in flight is dropped, no further attempt starts (run-aborts.ts). */
  cancellation?: Cancellation;
  /** The account's other secrets (answer-secrets.ts): an answer quoting one shows it masked, as it does `token`. */
  hide?: readonly string[];
}

export class ChatwootApiError extends Error {
  override name = 'ChatwootApiError';
  /**
   * Chatwoot was busy or down (429: Rack::Attack's per-minute limit, 3,000 requests by default;
   * 5xx; no connection): the same request may pass later.
   */
  readonly transient: boolean;
  /**
   * The request cannot have taken effect: it never left this machine, Chatwoot refused it (4xx)
   * or was unavailable (503). A 500, 502 or 504 may come after the work was done (an error
   * after the save, a proxy that gave up waiting), so those count as "may have arrived".
   */
  readonly noEffect: boolean;
  /** Chatwoot's Retry-After, when it gave one (Rack::Attack does not by default). */
  readonly retryAfterMs: number | undefined;
  /** Chatwoot's own words for a refusal ("Email has already been taken"), for a message of the caller's. */
  readonly answer: string;
  constructor(message: string, readonly status: number | null, readonly reason: 'unauthorized' | 'not_found' | 'unreachable' | 'blocked' | 'rejected',
    more: { transient?: boolean; noEffect?: boolean; retryAfterMs?: number | undefined; answer?: string } = {}) {
    super(message);
    this.transient = more.transient ?? false;
    this.noEffect = more.noEffect ?? (status !== null && (status < 500 || status === 503));
    this.retryAfterMs = more.retryAfterMs;
    this.answer = more.answer ?? '';
  }
}

export interface ChatwootCall { method: string; path: string; status: number | null; answer: string }

// Chatwoot's errors are `{ error: "…" }` (app/controllers/concerns/request_exception_handler.rb:26-36)
// or `{ message, attributes }` for invalid records (:46-52).
// Masked here, before any message, note or stored error quotes it (answer-secrets.ts).
const errorText = (json: unknown, bodyText: string, secrets: readonly string[]) => {
  const o = (json ?? {}) as { error?: unknown; message?: unknown };
  if (typeof o.error === 'string') return shownAnswer(o.error, secrets);
  if (typeof o.message === 'string') return shownAnswer(o.message, secrets);
  // A proxy's error page (nginx while Chatwoot restarts): its title says it all.
  const title = /<title>([^<]{1,200})<\/title>/i.exec(bodyText)?.[1];
  return shownAnswer(title ?? bodyText, secrets);
};

export class ChatwootApi {
  /** Every call made, for the run log: method, path, status and a short answer (shared with `withToken`'s client). */
  constructor(private readonly target: ChatwootTarget, readonly calls: ChatwootCall[] = []) {}

  /** The same Chatwoot with another token (the account's agent bot), its calls logged with this client's. */
  withToken(token: string) { return new ChatwootApi({ ...this.target, token, hide: this.secrets }, this.calls); }

  /** What the requests carry, or the account holds: never shown back from an answer. */
  private get secrets(): readonly string[] { return [this.target.token, ...(this.target.hide ?? [])]; }

  private accountPath(p: string) { return `/api/v1/accounts/${this.target.accountId}${p}`; }

  async request(method: string, path: string, body?: unknown, opts: { retry?: boolean } = {}): Promise<unknown> {
    // No token: forgotten with a lost secret key (forget-secrets). Said as a refused token is, so
    // the account shows it, without asking Chatwoot.
    if (!this.target.token) throw new ChatwootApiError(forgottenText.chatwoot, null, 'unauthorized', { noEffect: true });
    const url = `${this.target.baseUrl}${path}`;
    const signal = this.target.cancellation?.signal;
    const send = () => safeFetch({
      method, url, timeoutMs: 10_000, ...(signal ? { signal } : {}),
      headers: { api_access_token: this.target.token, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'user-agent': 'InboxCompanion/1' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }, { allowList: this.target.allowList });
    let res: SafeFetchResponse;
    try {
      // Reads are retried on transient failures; writes are sent once (Chatwoot has no idempotency keys).
      res = opts.retry ? (await withRetries(send, {
        method, attempts: 2, baseDelayMs: 200,
        ...(signal ? { signal } : {}), ...(this.target.cancellation?.recheck ? { beforeRetry: this.target.cancellation.recheck } : {}),
      })).response : await send();
    } catch (err) {
      const said = withoutSecrets((err as Error).message, this.secrets);
      this.calls.push({ method, path, status: null, answer: said });
      if (err instanceof OutboundBlockedError) {
        throw new ChatwootApiError(`Chatwoot at ${this.target.baseUrl} is on a private network address, which the companion refuses by default; if it is yours, add its host to COMPANION_ALLOW_PRIVATE_URLS (${said})`, null, 'blocked', { noEffect: true });
      }
      if (err instanceof OutboundCancelledError) {
        // Not transient: the run is cancelled, nobody wants it tried again. A request that had
        // left may have been saved by Chatwoot (a message's attempt marker then stays).
        throw new ChatwootApiError(`Cancelled (the run was cancelled) during ${method} ${path}: ${err.sent ? 'its request had been sent, so Chatwoot may have it; the answer was not awaited' : 'nothing was sent'}`, null, 'unreachable', { noEffect: !err.sent });
      }
      if (err instanceof OutboundError) {
        const neverSent = err instanceof OutboundNetworkError && err.neverSent;
        throw new ChatwootApiError(`Cannot reach Chatwoot at ${this.target.baseUrl}: ${said}`, null, 'unreachable', { transient: err.retriable, noEffect: neverSent });
      }
      throw err;
    }
    const text = res.status < 300 ? '' : errorText(res.json, res.bodyText, this.secrets);
    this.calls.push({ method, path, status: res.status, answer: res.status < 300 ? 'ok' : text });
    if (res.status === 401) {
      throw new ChatwootApiError(/account/i.test(text)
        ? `Chatwoot says the token's user may not access account ${this.target.accountId} ("${text}"): use a token of a member of that account`
        : `Chatwoot refused the API access token ("${text || 'unauthorized'}"): copy it again from Profile settings → Access Token`, 401, 'unauthorized', { answer: text });
    }
    if (res.status === 404) throw new ChatwootApiError(`Chatwoot answered 404 for ${method} ${path}${text ? ` ("${text}")` : ''}`, 404, 'not_found');
    if (res.status < 200 || res.status >= 300) {
      throw new ChatwootApiError(`Chatwoot answered HTTP ${res.status} to ${method} ${path}${text ? `: ${text}` : ''}`, res.status, 'rejected', {
        transient: isTransientStatus(res.status), retryAfterMs: parseRetryAfter(res.headers['retry-after'], Date.now()), answer: text,
      });
    }
    if (res.json === undefined && res.bodyText.trim() !== '') {
      throw new ChatwootApiError(`${this.target.baseUrl} answered ${method} ${path} with something that is not JSON: is this the address of a Chatwoot?`, res.status, 'rejected');
    }
    // Contacts, attributes and messages read back (reconcile, import) get U+FFFD for NUL, as the webhook's do.
    return res.bodyText.includes('\\u0000') ? replaceNulDeep(res.json) : res.json;
  }

  /** GET /api/v1/profile (app/views/api/v1/models/_user.json.jbuilder): the token's user and the accounts it belongs to. */
  async profile() {
    return Profile.parse(await this.request('GET', '/api/v1/profile', undefined, { retry: true }));
  }

  /** GET …/conversations/{display_id} (swagger paths/application/conversation/show.yml). */
  async conversation(displayId: number) {
    return CwConversation.parse(await this.request('GET', this.accountPath(`/conversations/${displayId}`), undefined, { retry: true }));
  }

  /** GET …/conversations?status=&page= → `{ data: { meta, payload: [] } }` (conversations/index.json.jbuilder), newest activity first. */
  async conversations(status: 'open' | 'all', page: number) {
    const json = ConversationPage.parse(await this.request('GET', this.accountPath(`/conversations?status=${status}&assignee_type=all&page=${page}`), undefined, { retry: true }));
    return json.data.payload;
  }

  /** GET …/contacts/{id} → `{ payload: contact }` (contacts/show.json.jbuilder). */
  async contact(id: number) {
    return z.object({ payload: CwContact }).parse(await this.request('GET', this.accountPath(`/contacts/${id}`), undefined, { retry: true })).payload;
  }

  /** GET …/conversations/{id}/labels → `{ payload: [titles] }` (LabelConcern#index). */
  async labels(displayId: number) {
    return LabelList.parse(await this.request('GET', this.accountPath(`/conversations/${displayId}/labels`), undefined, { retry: true })).payload;
  }

  /** POST …/labels `{ labels }` REPLACES the list and keeps only labels the account defines (LabelConcern#create, valid_labels). */
  async setLabels(displayId: number, labels: string[]) {
    return LabelList.parse(await this.request('POST', this.accountPath(`/conversations/${displayId}/labels`), { labels })).payload;
  }

  /** POST …/messages `{ content, message_type: 'outgoing', private }` (create_message_payload.yml); a note is private. */
  async createMessage(displayId: number, content: string, isPrivate: boolean) {
    return CreatedMessage.parse(await this.request('POST', this.accountPath(`/conversations/${displayId}/messages`), { content, message_type: 'outgoing', private: isPrivate }));
  }

  /**
   * GET …/agent_bots → the account's bots and the global ones (AgentBotsController#index,
   * api/v1/models/_agent_bot.json.jbuilder); `access_token` only where that partial has it (FACTS §5).
   */
  async agentBots() {
    return z.array(AgentBot).parse(await this.request('GET', this.accountPath('/agent_bots'), undefined, { retry: true }));
  }

  /** POST …/agent_bots `{ name, description }` (administrators only, AgentBotPolicy#create?) → the bot (FACTS §5). */
  async createAgentBot(name: string, description: string) {
    return AgentBot.parse(await this.request('POST', this.accountPath('/agent_bots'), { name, description }));
  }

  /** POST …/toggle_status `{ status }` → `{ payload: { success, current_status } }` (toggle_status.json.jbuilder). */
  async toggleStatus(displayId: number, status: 'open' | 'resolved') {
    return ToggleStatus.parse(await this.request('POST', this.accountPath(`/conversations/${displayId}/toggle_status`), { status })).payload;
  }

  /** POST …/assignments `{ assignee_id }` → the agent, or null when unassigned (assignments_controller.rb:33-45). */
  async assign(displayId: number, assigneeId: number | null) {
    return AssignedAgent.parse(await this.request('POST', this.accountPath(`/conversations/${displayId}/assignments`), { assignee_id: assigneeId }));
  }

  /**
   * GET …/inboxes → `{ payload: [inbox] }` (inboxes/index.json.jbuilder, models/_inbox.json.jbuilder: id, name,
   * channel_type, and `medium` for Twilio): https://developers.chatwoot.com/api-reference/inboxes. An agent's
   * token lists only the inboxes the agent is a member of.
   */
  async inboxes() {
    return InboxList.parse(await this.request('GET', this.accountPath('/inboxes'), undefined, { retry: true })).payload;
  }

  /** GET …/teams → array of teams (teams/index.json.jbuilder over models/_team.json.jbuilder; developers.chatwoot.com/api-reference/teams/list-all-teams). */
  async teams() {
    return z.array(Team).parse(await this.request('GET', this.accountPath('/teams'), undefined, { retry: true }));
  }

  /**
   * POST …/assignments `{ team_id }` → the team, or null: an id the account has no team of UNSETS
   * the conversation's team (assignments_controller.rb set_team: `teams.find_by`, `update!(team:)`,
   * `render json: @team`), so callers check the id against teams() first.
   */
  async assignTeam(displayId: number, teamId: number) {
    return Team.nullable().parse(await this.request('POST', this.accountPath(`/conversations/${displayId}/assignments`), { team_id: teamId }));
  }

  /** GET …/agents → array of agents (agents/index.json.jbuilder, models/_agent.json.jbuilder). */
  async agents() {
    return z.array(Agent).parse(await this.request('GET', this.accountPath('/agents'), undefined, { retry: true }));
  }

  /** PUT …/contacts/{id} `{ custom_attributes }` MERGES custom attributes (contacts_controller.rb contact_custom_attributes). */
  async updateContactAttributes(contactId: number, customAttributes: Record<string, unknown>) {
    return z.object({ payload: CwContact }).parse(await this.request('PUT', this.accountPath(`/contacts/${contactId}`), { custom_attributes: customAttributes })).payload;
  }

  /**
   * PUT …/contacts/{id} with the contact's own `name`, `email`, `phone_number` and `custom_attributes` (documented body:
   * https://developers.chatwoot.com/api-reference/contacts/update-contact). Only the keys sent
   * change (contacts_controller.rb#update assigns the permitted params given). Chatwoot refuses with
   * 422 `{ message, attributes }` an email or phone another of its contacts has ("Email has already
   * been taken", "Phone number has already been taken") or one it cannot read ("Email Invalid
   * email", "Phone number should be in e164 format"): app/models/contact.rb validations.
   */
  async updateContact(contactId: number, body: ChatwootContactChange) {
    return z.object({ payload: CwContact }).parse(await this.request('PUT', this.accountPath(`/contacts/${contactId}`), body)).payload;
  }

  /** POST …/contacts/{id}/destroy_custom_attributes `{ custom_attributes: [keys] }` removes keys. */
  async removeContactAttributes(contactId: number, keys: string[]) {
    await this.request('POST', this.accountPath(`/contacts/${contactId}/destroy_custom_attributes`), { custom_attributes: keys });
  }
}

/**
 * The contact's own fields as Chatwoot's contact update takes them ("" clears email or phone), and
 * custom attributes, merged into the contact's (a null value is kept as null: the attribute shows empty).
 */
export type ChatwootContactChange = { name?: string; email?: string; phone_number?: string; custom_attributes?: Record<string, unknown> };

const Profile = z.object({
  id: z.number(), name: z.string().nullish(), email: z.string().nullish(),
  accounts: z.array(z.object({ id: z.number(), name: z.string().nullish(), role: z.string().nullish() })).default([]),
});
const ConversationPage = z.object({ data: z.object({ payload: z.array(CwConversation) }) });
const LabelList = z.object({ payload: z.array(z.string()) });
const CreatedMessage = z.object({ id: z.number(), content: z.string().nullish(), private: z.boolean().optional() });
const ToggleStatus = z.object({ payload: z.object({ success: z.boolean().nullish(), current_status: z.string() }) });
const InboxList = z.object({ payload: z.array(z.object({ id: z.number().int(), name: z.string().max(255), channel_type: z.string().max(100).nullish(), medium: z.string().max(40).nullish() })) });
/**
 * `access_token` is `resource.access_token` in the partial: the AccessToken record, which renders as
 * an object with its `token` (spec/controllers/api/v1/accounts/agent_bots_controller_spec.rb checks
 * the body includes `agent_bot.access_token.token`); a plain string is taken too.
 */
const AgentBot = z.object({
  id: z.number().int(), name: z.string().nullish(), account_id: z.number().int().nullish(),
  access_token: z.union([z.string().max(200), z.looseObject({ token: z.string().max(200) }).transform((t) => t.token)]).nullish().catch(null),
});
const Agent = z.object({ id: z.number(), name: z.string().nullish(), email: z.string().nullish() });
const AssignedAgent = Agent.nullable();
const Team = z.object({ id: z.number(), name: z.string() });
