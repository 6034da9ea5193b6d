import type { ChatwootStandin } from './chatwoot-standin';

/**
 * Account agent bots in the Chatwoot stand-in (shared FACTS.md §5, with the files and lines cited
 * there): `…/agent_bots` (AgentBotsController, administrators only), and a bot's `api_access_token`
 * let only onto AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS, then into the account it belongs to.
 */
export interface CwStandinBot { id: number; name: string; description: string; account_id: number; access_token: string; inboxIds: number[] }

export interface CwStandinBotOptions {
  /** false: a Chatwoot from before account agent bots: the route does not exist (Rails' 404 page). */
  agentBotsApi: boolean;
  /** false: the bot partial has no access_token (before it was added to _agent_bot.json.jbuilder). */
  botTokenInAnswers: boolean;
  /**
   * How a bot's token gets into an account: `account`, a bot of that account (later code:
   * `return if @resource.account_id == account.id`); `inbox`, only a bot connected to one of its
   * inboxes (ensure_current_account_helper.rb: `agent_bot_inboxes.find_by(account_id:)`).
   */
  botAccountGate: 'account' | 'inbox';
}

type Answer = (status: number, json: unknown) => void;

// BOT_ACCESSIBLE_ENDPOINTS (app/controllers/concerns/access_token_auth_helper.rb:2-6), as method + path:
// conversations create/update/toggle_status/toggle_priority/custom_attributes, messages#create, assignments#create.
const BOT_ACCESSIBLE: [string, RegExp][] = [
  ['POST', /^\/conversations$/],
  ['PATCH', /^\/conversations\/\d+$/],
  ['POST', /^\/conversations\/\d+\/(toggle_status|toggle_priority|custom_attributes|messages|assignments)$/],
];

/** A bot's refusal (401 `{ error }`, request_exception_handler.rb render_unauthorized), or null when it may go on. */
export function botRefusal(s: ChatwootStandin, bot: CwStandinBot, method: string, path: string): { error: string } | null {
  const m = /^\/api\/v1\/accounts\/(\d+)(\/.*)$/.exec(path);
  // validate_bot_access_token! runs first (Api::BaseController before_action order); /api/v1/profile is not on the list.
  if (!m || !BOT_ACCESSIBLE.some(([verb, re]) => verb === method && re.test(m[2]!))) return { error: 'Access to this endpoint is not authorized for bots' };
  const inAccount = s.botAccountGate === 'account' && bot.account_id === Number(m[1]);
  if ((!inAccount && !bot.inboxIds.some((id) => s.inboxes.some((i) => i.id === id))) || Number(m[1]) !== s.accountId) {
    return { error: s.botAccountGate === 'inbox' ? 'You are not authorized to access this account' : 'Bot is not authorized to access this account' };
  }
  return null;
}

const botJson = (s: ChatwootStandin, b: CwStandinBot) => ({
  // api/v1/models/_agent_bot.json.jbuilder: access_token is the AccessToken record (its `token` inside).
  id: b.id, name: b.name, description: b.description, thumbnail: '', outgoing_url: null, bot_type: 'webhook', bot_config: {}, account_id: b.account_id,
  ...(s.botTokenInAnswers ? { access_token: { id: b.id + 7000, owner_type: 'AgentBot', owner_id: b.id, token: b.access_token } } : {}), system_bot: false,
});

/** `…/agent_bots` for a user's token; returns false when `rest` is not that route. */
export function agentBotsRoute(s: ChatwootStandin, method: string, rest: string, body: any, answer: Answer, rawNotFound: () => void): boolean {
  if (rest !== '/agent_bots') return false;
  if (!s.agentBotsApi) { rawNotFound(); return true; }
  // AgentBotPolicy#create? / #index?: administrators (Pundit::NotAuthorizedError → 401, request_exception_handler.rb).
  if (method === 'POST' && s.role !== 'administrator') { answer(401, { error: 'You are not authorized to do this action' }); return true; }
  if (method === 'GET') { answer(200, s.bots.filter((b) => b.account_id === s.accountId).map((b) => botJson(s, b))); return true; }
  if (method === 'POST') {
    if (typeof body?.name !== 'string' || body.name === '') { answer(422, { message: "Name can't be blank", attributes: ['name'] }); return true; }
    const bot: CwStandinBot = { id: 300 + s.bots.length + 1, name: body.name, description: String(body.description ?? ''), account_id: s.accountId, access_token: `bot_token_${s.bots.length + 1}_abcdef`, inboxIds: [] };
    s.bots.push(bot);
    answer(200, botJson(s, bot));
    return true;
  }
  return false;
}
