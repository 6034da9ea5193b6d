import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ChatwootAccount, ChatwootConnectBody, ChatwootPatchBody } from '../../../lib/contracts/chatwoot';
import { HttpError, notFound } from '../../http-error';
import { newId, nowIso, randomSecret } from '../../ids';
import { lastFour } from '../../secrets/vault';
import type { Cancellation } from '../../outbound/call';
import type { Services } from '../../services';
import { fromJson, toJson, type Executor } from '../../store/database';
import type { ConnectionsTable } from '../../store/schema';
import { accountsChanged } from './account-channels';
import { ChatwootApi, ChatwootApiError } from './api';
import { sameChatwootAccount } from './same-account';
import { chatwootHost, sameChatwootHost } from '../../../lib/contracts/chatwoot-host';
import { disconnectedBefore } from './tombstones';
import { inTransaction } from '../../events/unit-of-work';
import { BOT_NAME, BotState, provideBot } from './agent-bot';
import { accountSecrets, withoutSecrets } from './answer-secrets';

export const KIND = 'chatwoot';

/** What `connections.config` holds for a Chatwoot account (nothing secret). */
const Config = z.object({
  baseUrl: z.string(), accountId: z.number(), origin: z.string(),
  agentId: z.number().nullable().default(null), agentName: z.string().nullable().default(null),
  /** sha256 of the webhook URL token: deliveries are looked up by it. */
  webhookTokenHash: z.string(),
  /** Connected again after a disconnect, on the webhook URL Chatwoot kept posting to (import-rule.ts). */
  relinked: z.boolean().optional(),
  /** The account agent bot the companion writes as (agent-bot.ts); null: not set up yet (connected before bots, or its token forgotten). */
  bot: BotState.nullable().default(null),
});
export type ChatwootConfig = z.infer<typeof Config>;
/** What `connections.secrets` seals: the token, the URL token (to show the URL again), the optional signing secret and the agent bot's token. */
const Secrets = z.object({ apiAccessToken: z.string(), webhookToken: z.string(), webhookSecret: z.string().nullable().default(null), botAccessToken: z.string().nullable().default(null) });
type Secrets = z.infer<typeof Secrets>;
/** What a disconnected account keeps (tombstones.ts): the webhook URL Chatwoot still posts to, and its signing secret. */
export const KeptSecrets = Secrets.pick({ webhookToken: true, webhookSecret: true });

export const hashWebhookToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface ChatwootConnection { row: ConnectionsTable; config: ChatwootConfig; secrets: Secrets }

export function openConnection(services: Services, row: ConnectionsTable): ChatwootConnection {
  return { row, config: Config.parse(fromJson(row.config, {})), secrets: Secrets.parse(JSON.parse(services.vault.open(row.secrets))) };
}

export const apiFor = (services: Services, c: ChatwootConnection, cancellation?: Cancellation) =>
  new ChatwootApi({
    baseUrl: c.config.baseUrl, accountId: c.config.accountId, token: c.secrets.apiAccessToken, allowList: services.config.allowPrivateUrls,
    hide: accountSecrets(c.secrets), ...(cancellation ? { cancellation } : {}),
  });

/** The agent bot's token when messages are created with it (agent-bot.ts), else null: the administrator writes. */
export const botTokenOf = (c: ChatwootConnection) => (c.config.bot?.state === 'ready' && c.secrets.botAccessToken ? c.secrets.botAccessToken : null);

/**
 * Sets up the agent bot for an account connected before the companion wrote as one, or whose bot
 * token was forgotten (forget-secrets): at its next sync, so nobody has to do anything.
 */
export async function provideBotLater(services: Services, c: ChatwootConnection) {
  if (c.config.bot !== null || !c.secrets.apiAccessToken) return c;
  const provided = await provideBot(apiFor(services, c), c.config.accountId);
  const config = { ...c.config, bot: provided.bot };
  const secrets = { ...c.secrets, botAccessToken: provided.token };
  await services.db.updateTable('connections').set({ config: toJson(config), secrets: services.vault.seal(JSON.stringify(secrets)), updated_at: nowIso() })
    .where('id', '=', c.row.id).execute();
  return { ...c, config, secrets };
}

export function toAccount(services: Services, c: ChatwootConnection): ChatwootAccount {
  // Errors and notes kept before Chatwoot's answers were masked where they are made (api.ts) are masked
  // here, where they are shown; the secrets are open already, so it costs nothing when there is no error.
  const shown = (text: string) => withoutSecrets(text, accountSecrets(c.secrets));
  const botNote = c.config.bot?.note ?? null;
  return {
    id: c.row.id, name: c.row.name, baseUrl: c.config.baseUrl, origin: c.config.origin, accountId: c.config.accountId,
    agentName: c.config.agentName, tokenLastFour: lastFour(c.secrets.apiAccessToken),
    webhookSecretLastFour: c.secrets.webhookSecret ? lastFour(c.secrets.webhookSecret) : null,
    webhookUrl: `${services.config.publicUrl}/chatwoot/webhook/${c.secrets.webhookToken}`,
    postsAs: botTokenOf(c) ? { kind: 'bot', name: BOT_NAME, note: null } : { kind: 'user', name: c.config.agentName, note: botNote === null ? null : shown(botNote) },
    status: c.row.status === 'error' ? 'error' : 'active', lastSyncedAt: c.row.last_synced_at,
    lastError: c.row.last_error === null ? null : shown(c.row.last_error), createdAt: c.row.created_at,
  };
}

/**
 * One API call checks the token and the account: GET /api/v1/profile answers 401 for a bad token
 * and lists the accounts the token's user belongs to (app/views/api/v1/models/_user.json.jbuilder).
 */
async function checkToken(services: Services, baseUrl: string, accountId: number, token: string) {
  const api = new ChatwootApi({ baseUrl, accountId, token, allowList: services.config.allowPrivateUrls });
  let profile;
  try {
    profile = await api.profile();
  } catch (err) {
    if (err instanceof ChatwootApiError) {
      const status = err.reason === 'unauthorized' ? 422 : err.reason === 'blocked' ? 422 : 502;
      const path = err.reason === 'unauthorized' ? 'apiAccessToken' : 'baseUrl';
      const message = err.reason === 'not_found' ? `${baseUrl} has no Chatwoot API at /api/v1/profile (HTTP 404): check the address` : err.message;
      throw new HttpError(status, err.reason === 'unauthorized' ? 'chatwoot_unauthorized' : `chatwoot_${err.reason}`, message, [{ path, message }]);
    }
    if (err instanceof z.ZodError) {
      throw new HttpError(502, 'chatwoot_unexpected_answer', `${baseUrl}/api/v1/profile did not answer like Chatwoot does: is this the address of a Chatwoot?`);
    }
    throw err;
  }
  const account = profile.accounts.find((a) => a.id === accountId);
  const who = profile.email ?? profile.name ?? profile.id;
  if (!account) {
    const ids = profile.accounts.map((a) => a.id).join(', ') || 'none';
    const message = `The token's user (${who}) is not a member of Chatwoot account ${accountId}; its accounts: ${ids}`;
    throw new HttpError(422, 'chatwoot_account_not_found', message, [{ path: 'accountId', message }]);
  }
  // Chatwoot shows an agent only the inboxes they are a member of (conversations, inbox list): an
  // agent's token would mirror part of the account and say nothing about the rest.
  if (account.role && account.role !== 'administrator') {
    const message = `The token belongs to ${who}, who is an ${account.role} in Chatwoot account ${accountId}, not an administrator: `
      + 'Chatwoot shows agents only the conversations of the inboxes they are members of, so the companion would mirror part of the account and miss the rest. '
      + 'Use an administrator\'s access token (sign in to Chatwoot as an administrator: Profile settings → Access Token)';
    throw new HttpError(422, 'chatwoot_admin_required', message, [{ path: 'apiAccessToken', message }]);
  }
  return { profile, account };
}

export async function connectAccount(services: Services, body: ChatwootConnectBody): Promise<ChatwootAccount> {
  const { profile, account } = await checkToken(services, body.baseUrl, body.accountId, body.apiAccessToken);
  const provided = await provideBot(new ChatwootApi({ baseUrl: body.baseUrl, accountId: body.accountId, token: body.apiAccessToken, allowList: services.config.allowPrivateUrls }), body.accountId);
  // The same account under another spelling of its address (same-account.ts) would mirror it twice.
  const existing = (await listConnections(services, services.db)).find((c) => sameChatwootAccount(c.config, body));
  if (existing) throw alreadyConnected(existing, body.baseUrl);
  // Connected before and disconnected since: the same id again, so its mirrored conversations,
  // contacts and applied state are picked up where they were (tombstones.ts).
  const earlier = await disconnectedBefore(services.db, body.baseUrl, body.accountId);
  const kept = earlier ? keptSecrets(services, earlier.sealed) : undefined;
  const webhookToken = kept?.webhookToken ?? randomSecret();
  const now = nowIso();
  const config: ChatwootConfig = {
    baseUrl: body.baseUrl, accountId: body.accountId, origin: new URL(body.baseUrl).origin,
    agentId: profile.id, agentName: profile.name ?? profile.email ?? null, webhookTokenHash: hashWebhookToken(webhookToken),
    ...(earlier ? { relinked: true } : {}), bot: provided.bot,
  };
  const secrets: Secrets = { apiAccessToken: body.apiAccessToken, webhookToken, webhookSecret: body.webhookSecret ?? kept?.webhookSecret ?? null, botAccessToken: provided.token };
  const row: ConnectionsTable = {
    id: earlier?.connectionId ?? newId('cwa'), kind: KIND, name: body.name ?? account.name ?? `Chatwoot ${body.accountId}`, config: toJson(config),
    secrets: services.vault.seal(JSON.stringify(secrets)), status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now,
  };
  await inTransaction(services.db, async (uow) => {
    if (earlier) await uow.trx.deleteFrom('connections').where('id', '=', earlier.tombstoneId).execute();
    await uow.trx.insertInto('connections').values(row).execute();
  });
  // Steps writing a contact Chatwoot holds (a reconnect's are mirrored already) write there from the next one on.
  accountsChanged(services);
  return { ...toAccount(services, { row, config, secrets }), ...(earlier ? { relinked: true } : {}) };
}

/** A disconnected account's kept secrets; none when they cannot be opened (another vault key): a new webhook URL then. */
function keptSecrets(services: Services, sealed: string) {
  try {
    return KeptSecrets.safeParse(JSON.parse(services.vault.open(sealed))).data;
  } catch {
    return undefined;
  }
}

export async function listConnections(services: Services, db: Executor): Promise<ChatwootConnection[]> {
  const rows = await db.selectFrom('connections').selectAll().where('kind', '=', KIND).orderBy('created_at').execute();
  return rows.map((r) => openConnection(services, r));
}

export async function getConnection(services: Services, id: string): Promise<ChatwootConnection> {
  const row = await services.db.selectFrom('connections').selectAll().where('id', '=', id).where('kind', '=', KIND).executeTakeFirst();
  if (!row) throw notFound(`Chatwoot account ${id}`);
  return openConnection(services, row);
}

/**
 * The 409 for connecting an account that is connected already, saying what to do instead: typed
 * at another address of the same Chatwoot (https now), the connection's address is changed;
 * connecting it again would mirror it twice.
 */
function alreadyConnected(existing: ChatwootConnection, typed: string) {
  const which = `Chatwoot account ${existing.config.accountId} is already connected at ${existing.config.baseUrl} ("${existing.row.name}", ${existing.row.id})`;
  return new HttpError(409, 'already_connected', typed === existing.config.baseUrl
    ? `${which}: set a new token or webhook secret on that connection (Settings → Chatwoot) instead of connecting it again`
    : `${which}: if it answers at ${typed} now, change that connection's address to ${typed} (Settings → Chatwoot → Address) instead of connecting it again; its conversations stay linked`);
}

/**
 * Checks a connection's new address (its Chatwoot moved to https, or to another domain) as a
 * connect does: reachable, a Chatwoot, the token's user an administrator of the same account id.
 * Another path or port may be another Chatwoot whose account has the same id (every Chatwoot's
 * first account is 1): its conversation numbers would land on the mirrored ones, and a sync would
 * close every mirrored conversation it does not have. So there the connected token must work too:
 * a Chatwoot accepts only the access tokens it issued. That proof re-sends the stored token, which
 * only the host it was given for may receive: another host name may be anyone's (an admin token
 * of the companion would otherwise read out Chatwoot's administrator token with one PATCH), so
 * there the token is typed again and the proof is made with it, as n8n and Chatwoot's own
 * integrations ask for a credential again with a new URL.
 */
async function checkNewAddress(services: Services, c: ChatwootConnection, baseUrl: string, newToken: string | undefined) {
  const { accountId } = c.config;
  const other = (await listConnections(services, services.db)).find((o) => o.row.id !== c.row.id && sameChatwootAccount(o.config, { baseUrl, accountId }));
  if (other) throw alreadyConnected(other, baseUrl);
  if (!sameChatwootHost(c.config.baseUrl, baseUrl)) {
    if (newToken === undefined) throw tokenRequired(c.config.baseUrl, baseUrl);
    return checkToken(services, baseUrl, accountId, newToken);
  }
  if (!sameChatwootAccount(c.config, { baseUrl, accountId })) {
    try {
      const checked = await checkToken(services, baseUrl, accountId, c.secrets.apiAccessToken);
      if (newToken === undefined) return checked;
    } catch (err) {
      if (!(err instanceof HttpError) || !['chatwoot_unauthorized', 'chatwoot_account_not_found'].includes(err.code)) throw err;
      const refusal = err.code === 'chatwoot_unauthorized' ? `${baseUrl} refuses the connected token` : `At ${baseUrl} the connected token's user is not in account ${accountId}`;
      const message = `${refusal}, so it is not the Chatwoot this account was connected at (a Chatwoot accepts only the tokens it issued). `
        + `A connection's address changes only to where the same Chatwoot answers now; to mirror another Chatwoot, connect it as a new account`;
      throw new HttpError(422, 'chatwoot_other_server', message, [{ path: 'baseUrl', message }]);
    }
  }
  return checkToken(services, baseUrl, accountId, newToken ?? c.secrets.apiAccessToken);
}

/** The 422 for another host without a token: nothing was sent anywhere. */
function tokenRequired(from: string, to: string) {
  const message = `${chatwootHost(to)} is another host than ${chatwootHost(from)}: give the access token with the new address (apiAccessToken, `
    + 'Chatwoot: Profile settings → Access Token). The connected token is sent only to the host it was connected at, so an address typed wrong, '
    + 'or someone else\'s, never receives it. A connection\'s address changes only to where the same Chatwoot answers now; to mirror another Chatwoot, connect it as a new account';
  return new HttpError(422, 'chatwoot_token_required', message, [{ path: 'apiAccessToken', message }]);
}

export async function updateAccount(services: Services, id: string, patch: ChatwootPatchBody) {
  const c = await getConnection(services, id);
  const config = { ...c.config };
  const moved = patch.baseUrl !== undefined && patch.baseUrl !== c.config.baseUrl;
  if (moved || patch.apiAccessToken !== undefined) {
    const baseUrl = patch.baseUrl ?? c.config.baseUrl;
    const { profile } = moved ? await checkNewAddress(services, c, baseUrl, patch.apiAccessToken) : await checkToken(services, baseUrl, c.config.accountId, patch.apiAccessToken!);
    // The launcher, the Dashboard App's frame-ancestors and the inbox's links go by the origin.
    Object.assign(config, { baseUrl, origin: new URL(baseUrl).origin });
    config.agentId = profile.id;
    config.agentName = profile.name ?? profile.email ?? null;
  }
  // A token saved again sets the bot up again (after a refusal, an upgrade of Chatwoot, a forgotten bot token).
  const provided = patch.apiAccessToken !== undefined
    ? await provideBot(new ChatwootApi({ baseUrl: config.baseUrl, accountId: config.accountId, token: patch.apiAccessToken, allowList: services.config.allowPrivateUrls }), config.accountId)
    : undefined;
  if (provided) config.bot = provided.bot;
  const secrets: Secrets = {
    ...c.secrets,
    ...(provided ? { botAccessToken: provided.token } : {}),
    ...(patch.apiAccessToken !== undefined ? { apiAccessToken: patch.apiAccessToken } : {}),
    ...(patch.webhookSecret !== undefined ? { webhookSecret: patch.webhookSecret } : {}),
  };
  await services.db.updateTable('connections').set({
    name: patch.name ?? c.row.name, config: toJson(config), secrets: services.vault.seal(JSON.stringify(secrets)),
    ...(patch.apiAccessToken !== undefined || moved ? { status: 'active', last_error: null } : {}), updated_at: nowIso(),
  }).where('id', '=', id).execute();
  return toAccount(services, await getConnection(services, id));
}

/** Finds the connection a webhook URL token belongs to (compared by hash: the token is never stored in the clear). */
export async function connectionByWebhookToken(services: Services, token: string): Promise<ChatwootConnection | undefined> {
  const hash = hashWebhookToken(token);
  return (await listConnections(services, services.db)).find((c) => c.config.webhookTokenHash === hash);
}

export async function setSyncState(db: Executor, id: string, state: { lastSyncedAt?: string; error: string | null }) {
  await db.updateTable('connections').set({
    ...(state.lastSyncedAt ? { last_synced_at: state.lastSyncedAt } : {}),
    last_error: state.error, status: state.error ? 'error' : 'active', updated_at: nowIso(),
  }).where('id', '=', id).execute();
}
