import type { Channel, ChannelKind, ConnectChannelBody, UpdateChannelBody } from '../../lib/contracts/channels';
import { conflict, HttpError, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { forgottenText, isForgotten } from '../secrets/forgotten';
import { lastFour } from '../secrets/vault';
import type { Services } from '../services';
import { fromJson, toJson, type Executor } from '../store/database';
import type { ConnectionsTable } from '../store/schema';
import { verifyAccount, verifyBusinessAccount } from './verify-credentials';

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
  if (isForgotten(row.secrets)) throw new Error(`Channel "${row.name}": ${forgottenText.channel}`);
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
 * Checks the credentials with Meta (verify-credentials.ts: the number or Page with its token, and
 * for WhatsApp that the Business Account holds the number) and stores the channel, token sealed.
 */
export async function connectChannel(services: Services, body: ConnectChannelBody): Promise<Channel> {
  const accountId = body.kind === 'whatsapp' ? body.phoneNumberId : body.pageId;
  if (await findChannel(services.db, body.kind, accountId)) {
    throw conflict(body.kind === 'whatsapp'
      ? `Phone number ${accountId} is already connected; to give it a new token, use Replace token (PATCH /channels/{id})`
      : `Page ${accountId} is already connected; to give it a new token, use Replace token (PATCH /channels/{id})`);
  }
  const token = body.kind === 'whatsapp' ? body.accessToken : body.pageAccessToken;
  const displayName = body.kind === 'whatsapp'
    ? await verifyWhatsApp(services, body.phoneNumberId, body.businessAccountId, token)
    : await verifyAccount(services, 'messenger', body.pageId, token, { id: 'pageId', token: 'pageAccessToken' });
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

/** The phone number with its token, then its Business Account (when the channel has one); answers the number's display name. */
async function verifyWhatsApp(services: Services, phoneNumberId: string, businessAccountId: string | undefined, token: string) {
  const displayName = await verifyAccount(services, 'whatsapp', phoneNumberId, token, { id: 'phoneNumberId', token: 'accessToken' });
  if (businessAccountId) await verifyBusinessAccount(services, businessAccountId, phoneNumberId, token);
  return displayName;
}

/**
 * Renames a channel, gives it a new token (an expired or revoked one: Meta's temporary tokens
 * last a day, user tokens about 60 days) or corrects its WhatsApp Business Account id. A new
 * token or account id is checked with Meta first; the channel's conversations, contacts and
 * history stay attached, unlike disconnecting and connecting again.
 */
export async function updateChannel(services: Services, id: string, body: UpdateChannelBody): Promise<Channel> {
  const row = await getChannelRow(services.db, id);
  const kind = row.kind as ChannelKind;
  const config = channelConfig(row);
  if (body.businessAccountId !== undefined && kind !== 'whatsapp') {
    const message = `Channel "${row.name}" is a Facebook Page: only a WhatsApp channel has a WhatsApp Business Account`;
    throw new HttpError(422, 'not_whatsapp', message, [{ path: 'body.businessAccountId', message }]);
  }
  const set: Partial<ConnectionsTable> = { updated_at: nowIso() };
  if (body.name !== undefined) set.name = body.name;
  if (body.accessToken !== undefined || body.businessAccountId !== undefined) {
    const token = body.accessToken ?? currentToken(services, row);
    const businessAccountId = body.businessAccountId ?? config.businessAccountId;
    const displayName = kind === 'whatsapp'
      ? await verifyWhatsApp(services, config.phoneNumberId ?? '', businessAccountId, token)
      : await verifyAccount(services, kind, config.pageId ?? '', token, { id: 'pageId', token: 'accessToken' });
    set.config = toJson({ ...config, displayName, ...(businessAccountId ? { businessAccountId } : {}), tokenLastFour: lastFour(token) });
    if (body.accessToken !== undefined) {
      set.secrets = services.vault.seal(toJson({ accessToken: body.accessToken }));
      Object.assign(set, { status: 'active', last_error: null, last_synced_at: set.updated_at });
    }
  }
  await services.db.updateTable('connections').set(set).where('id', '=', id).execute();
  return toChannel(await getChannelRow(services.db, id));
}

/** The stored token, for checking a new account id with it; one that cannot be opened has to come with the change. */
function currentToken(services: Services, row: ConnectionsTable): string {
  try {
    return channelToken(services, row);
  } catch (err) {
    const message = `${(err as Error).message}; send it in accessToken together with the new businessAccountId`;
    throw new HttpError(422, 'token_unreadable', message, [{ path: 'body.accessToken', message }]);
  }
}

export async function getChannelRow(db: Executor, id: string): Promise<ConnectionsTable> {
  const row = await db.selectFrom('connections').selectAll().where('id', '=', id).where('kind', 'in', ['whatsapp', 'messenger']).executeTakeFirst();
  if (!row) throw notFound(`Channel ${id}`);
  return row;
}

/**
 * Removes the channel; its conversations stay, with their history, the customer's id and their
 * channel (`channelType` still whatsapp or messenger: channelTypeOf), replies refused until the
 * customer writes on a connected one again (disconnected.ts).
 */
export async function deleteChannel(db: Executor, id: string): Promise<void> {
  await getChannelRow(db, id);
  await db.updateTable('conversations').set({ connection_id: null }).where('connection_id', '=', id).execute();
  await db.deleteFrom('connections').where('id', '=', id).execute();
}
