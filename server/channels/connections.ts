import type { Channel, ChannelKind, ConnectChannelBody, UpdateChannelBody } from '../../lib/contracts/channels';
import { conflict, HttpError, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { lastFour } from '../secrets/vault';
import type { Services } from '../services';
import { fromJson, toJson, type Executor } from '../store/database';
import type { ConnectionsTable } from '../store/schema';
import { graphCall, GraphError } from './graph';

/** What a channel connection keeps in `config` (not secret). */
export interface ChannelConfig {
  phoneNumberId?: string;
  businessAccountId?: string;
  pageId?: string;
  displayName?: string | null;
  tokenLastFour?: string;
}

export const isChannelKind = (kind: string): kind is ChannelKind => kind === 'whatsapp' || kind === 'messenger';
export const channelConfig = (row: ConnectionsTable) => fromJson<ChannelConfig>(row.config, {});
/** The channel's access token, opened from the vault. */
export function channelToken(services: Services, row: ConnectionsTable): string {
  try {
    return fromJson<{ accessToken?: string }>(services.vault.open(row.secrets), {}).accessToken ?? '';
  } catch {
    // Sealed under another key (COMPANION_SECRET_KEY or DATA_DIR/secret-key changed).
    throw new Error(`The token of channel "${row.name}" cannot be opened with this server's secret key; paste it again (Channels → Replace token)`);
  }
}

export function toChannel(row: ConnectionsTable): Channel {
  const c = channelConfig(row);
  return {
    id: row.id, kind: row.kind as ChannelKind, name: row.name, displayName: c.displayName ?? null,
    ...(c.phoneNumberId ? { phoneNumberId: c.phoneNumberId } : {}),
    ...(c.businessAccountId ? { businessAccountId: c.businessAccountId } : {}),
    ...(c.pageId ? { pageId: c.pageId } : {}),
    tokenLastFour: c.tokenLastFour ?? '••••', status: row.status, lastError: row.last_error, createdAt: row.created_at,
  };
}

export async function listChannels(db: Executor): Promise<Channel[]> {
  const rows = await db.selectFrom('connections').selectAll().where('kind', 'in', ['whatsapp', 'messenger']).orderBy('id').execute();
  return rows.map(toChannel);
}

/** The channel a webhook item arrived on: WhatsApp by phone number id, Messenger by Page id. */
export async function findChannel(db: Executor, kind: ChannelKind, accountId: string): Promise<ConnectionsTable | undefined> {
  const rows = await db.selectFrom('connections').selectAll().where('kind', '=', kind).execute();
  return rows.find((r) => {
    const c = channelConfig(r);
    return (kind === 'whatsapp' ? c.phoneNumberId : c.pageId) === accountId;
  });
}

/**
 * Checks a token with one Graph call and answers what Meta calls the account. A refusal by Meta
 * is a 422 carrying Meta's message and code on the field to fix, so the admin reads what to fix.
 * WhatsApp: GET /{phone-number-id}?fields=display_phone_number,verified_name
 *   (https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account-to-number-current-status/)
 * Page: GET /{page-id}?fields=id,name (https://developers.facebook.com/docs/graph-api/reference/page/)
 */
async function verifyCredentials(services: Services, kind: ChannelKind, accountId: string, token: string, tokenField: string): Promise<string | null> {
  try {
    if (kind === 'whatsapp') {
      const r = await graphCall<{ display_phone_number?: string; verified_name?: string }>(
        { method: 'GET', path: `/${accountId}`, token, query: { fields: 'display_phone_number,verified_name' } },
        { baseUrl: services.config.metaGraphUrl, attempts: 2 },
      );
      return [r.verified_name, r.display_phone_number && `(${r.display_phone_number})`].filter(Boolean).join(' ') || null;
    }
    const r = await graphCall<{ name?: string }>(
      { method: 'GET', path: `/${accountId}`, token, query: { fields: 'id,name' } },
      { baseUrl: services.config.metaGraphUrl, attempts: 2 },
    );
    return r.name ?? null;
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    // Meta down or unreachable is not a verdict on the credentials: nothing saved, try again.
    if (err.status === 0 || err.status >= 500) throw new HttpError(502, 'graph_unavailable', `The credentials could not be checked, nothing was saved: ${err.message}. Try again in a moment.`);
    throw new HttpError(422, 'channel_verification_failed', `Meta refused these credentials. ${err.message}`, [
      { path: err.code === 190 ? `body.${tokenField}` : `body.${kind === 'whatsapp' ? 'phoneNumberId' : 'pageId'}`, message: err.message },
    ]);
  }
}

/** Checks the credentials with one Graph call (verifyCredentials) and stores the channel, token sealed. */
export async function connectChannel(services: Services, body: ConnectChannelBody): Promise<Channel> {
  const accountId = body.kind === 'whatsapp' ? body.phoneNumberId : body.pageId;
  if (await findChannel(services.db, body.kind, accountId)) {
    throw conflict(body.kind === 'whatsapp'
      ? `Phone number ${accountId} is already connected; to give it a new token, use Replace token (PATCH /channels/{id})`
      : `Page ${accountId} is already connected; to give it a new token, use Replace token (PATCH /channels/{id})`);
  }
  const token = body.kind === 'whatsapp' ? body.accessToken : body.pageAccessToken;
  const displayName = await verifyCredentials(services, body.kind, accountId, token, body.kind === 'whatsapp' ? 'accessToken' : 'pageAccessToken');
  const config: ChannelConfig = body.kind === 'whatsapp'
    ? { phoneNumberId: body.phoneNumberId, businessAccountId: body.businessAccountId, displayName, tokenLastFour: lastFour(token) }
    : { pageId: body.pageId, displayName, tokenLastFour: lastFour(token) };
  const now = nowIso();
  const row: ConnectionsTable = {
    id: newId('chn'), kind: body.kind, name: body.name, config: toJson(config), secrets: services.vault.seal(toJson({ accessToken: token })),
    status: 'active', last_synced_at: now, last_error: null, created_at: now, updated_at: now,
  };
  await services.db.insertInto('connections').values(row).execute();
  return toChannel(row);
}

/**
 * Renames a channel or gives it a new token (an expired or revoked one: Meta's temporary tokens
 * last a day, user tokens about 60 days). The token is checked with Meta first; its
 * conversations, contacts and history stay attached, unlike disconnecting and connecting again.
 */
export async function updateChannel(services: Services, id: string, body: UpdateChannelBody): Promise<Channel> {
  const row = await getChannelRow(services.db, id);
  const kind = row.kind as ChannelKind;
  const config = channelConfig(row);
  const set: Partial<ConnectionsTable> = { updated_at: nowIso() };
  if (body.name !== undefined) set.name = body.name;
  if (body.accessToken !== undefined) {
    const accountId = (kind === 'whatsapp' ? config.phoneNumberId : config.pageId) ?? '';
    const displayName = await verifyCredentials(services, kind, accountId, body.accessToken, 'accessToken');
    set.config = toJson({ ...config, displayName, tokenLastFour: lastFour(body.accessToken) });
    set.secrets = services.vault.seal(toJson({ accessToken: body.accessToken }));
    Object.assign(set, { status: 'active', last_error: null, last_synced_at: set.updated_at });
  }
  await services.db.updateTable('connections').set(set).where('id', '=', id).execute();
  return toChannel(await getChannelRow(services.db, id));
}

export async function getChannelRow(db: Executor, id: string): Promise<ConnectionsTable> {
  const row = await db.selectFrom('connections').selectAll().where('id', '=', id).where('kind', 'in', ['whatsapp', 'messenger']).executeTakeFirst();
  if (!row) throw notFound(`Channel ${id}`);
  return row;
}

/** Removes the channel; its conversations stay (built-in from now on, their history kept). */
export async function deleteChannel(db: Executor, id: string): Promise<void> {
  await getChannelRow(db, id);
  await db.updateTable('conversations').set({ connection_id: null }).where('connection_id', '=', id).execute();
  await db.deleteFrom('connections').where('id', '=', id).execute();
}
