import type { AdAccount } from '../../lib/contracts/ads';
import { conflict, HttpError, notFound } from '../http-error';
import { newId, nowIso } from '../ids';
import { repeatAfterEach } from '../periodic';
import { forgottenText, isForgotten } from '../secrets/forgotten';
import { lastFour } from '../secrets/vault';
import type { Services } from '../services';
import { fromJson, toJson, type Executor } from '../store/database';
import type { ConnectionsTable } from '../store/schema';
import { graphCall, GraphError } from './graph';

// The ads catalog from a linked ad account (Marketing API). Fields the eligibility rules need:
// effective status, campaign objective, ad set optimization goal and destination type, and the
// creative's source Instagram media (an ad boosted from inside Instagram).
// GET /act_{id}/ads: https://developers.facebook.com/docs/marketing-api/reference/ad-account/ads/
// Ad fields: https://developers.facebook.com/docs/marketing-api/reference/adgroup/
// Ad set destination_type / optimization_goal: https://developers.facebook.com/docs/marketing-api/reference/ad-campaign/
// Paging (cursors.after, next): https://developers.facebook.com/docs/graph-api/results

export const AD_FIELDS = 'id,name,effective_status,campaign{objective},adset{optimization_goal,destination_type},creative{source_instagram_media_id}';
/** Without a filter Meta leaves ARCHIVED and DELETED ads out; asking for them lets the catalog see an ad stop. */
export const AD_STATUSES = ['ACTIVE', 'PAUSED', 'PENDING_REVIEW', 'DISAPPROVED', 'PREAPPROVED', 'PENDING_BILLING_INFO', 'CAMPAIGN_PAUSED', 'ADSET_PAUSED', 'IN_PROCESS', 'WITH_ISSUES', 'ARCHIVED', 'DELETED'];

interface GraphAd {
  id: string; name?: string; effective_status?: string;
  campaign?: { objective?: string }; adset?: { optimization_goal?: string; destination_type?: string };
  creative?: { source_instagram_media_id?: string };
}

/** The catalog's channel for an ad set's destination (only these three can trigger). */
const CHANNEL_OF_DESTINATION: Record<string, string> = { WHATSAPP: 'whatsapp_cloud_api', MESSENGER: 'messenger', INSTAGRAM_DIRECT: 'instagram' };

interface AdAccountConfig { adAccountId: string; name: string; tokenLastFour: string }
const configOf = (row: ConnectionsTable) => fromJson<AdAccountConfig>(row.config, { adAccountId: '', name: '', tokenLastFour: '' });
/** The account's token; one forgotten with a lost secret key (or sealed under another) is a 409 saying what to do, not a 500. */
function tokenOf(services: Services, row: ConnectionsTable): string {
  try {
    if (!isForgotten(row.secrets)) return fromJson<{ accessToken?: string }>(services.vault.open(row.secrets), {}).accessToken ?? '';
  } catch { /* sealed under another key: the same way out */ }
  const why = isForgotten(row.secrets) ? forgottenText.adAccount
    : 'Its access token was sealed with another secret key than the server\'s: unlink the ad account and link it again with an access token (its synced ads stay).';
  throw new HttpError(409, 'ad_account_token_unreadable', `Ad account "${row.name}": ${why}`);
}

export function toAdAccount(row: ConnectionsTable): AdAccount {
  const c = configOf(row);
  return { id: row.id, adAccountId: c.adAccountId, name: row.name, tokenLastFour: c.tokenLastFour, lastSyncedAt: row.last_synced_at, lastError: row.last_error };
}

export async function listAdAccounts(db: Executor): Promise<AdAccount[]> {
  return (await db.selectFrom('connections').selectAll().where('kind', '=', 'meta_ads').orderBy('id').execute()).map(toAdAccount);
}

async function accountRow(db: Executor, id: string) {
  const row = await db.selectFrom('connections').selectAll().where('id', '=', id).where('kind', '=', 'meta_ads').executeTakeFirst();
  if (!row) throw notFound(`Ad account ${id}`);
  return row;
}

/** Links an ad account after one Graph call: GET /act_{id}?fields=name,account_status (https://developers.facebook.com/docs/marketing-api/reference/ad-account/). */
export async function linkAdAccount(services: Services, body: { adAccountId: string; accessToken: string }): Promise<AdAccount> {
  const existing = await listAdAccounts(services.db);
  if (existing.some((a) => a.adAccountId === body.adAccountId)) throw conflict(`Ad account ${body.adAccountId} is already linked`);
  let name: string;
  try {
    const r = await graphCall<{ name?: string }>({ method: 'GET', path: `/${body.adAccountId}`, token: body.accessToken, query: { fields: 'name,account_status' } },
      { baseUrl: services.config.metaGraphUrl, attempts: 2 });
    name = r.name ?? body.adAccountId;
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    if (err.status === 0 || err.status >= 500) throw new HttpError(502, 'graph_unavailable', `The ad account could not be checked, nothing was saved: ${err.message}. Try again in a moment.`);
    throw new HttpError(422, 'ad_account_verification_failed', `Meta refused this ad account. ${err.message}`,
      [{ path: err.code === 190 ? 'body.accessToken' : 'body.adAccountId', message: err.message }]);
  }
  const now = nowIso();
  const row: ConnectionsTable = {
    id: newId('ads'), kind: 'meta_ads', name: name.slice(0, 200), config: toJson({ adAccountId: body.adAccountId, name, tokenLastFour: lastFour(body.accessToken) }),
    secrets: services.vault.seal(toJson({ accessToken: body.accessToken })), status: 'active', last_synced_at: null, last_error: null, created_at: now, updated_at: now,
  };
  await services.db.insertInto('connections').values(row).execute();
  return firstSync(services, row);
}

/** How long linking waits for the first read of the account's ads before it answers (the read goes on behind). */
export const LINK_SYNC_WAIT_MS = 5_000;

/**
 * The ads are read once right after linking, as respond.io lists them once the account is
 * connected: before, the catalog and the Click-to-Chat ad picker stayed empty until Sync now or
 * the next scheduled pass (META_ADS_SYNC_MINUTES, an hour by default). A failed read keeps the
 * link and says why on the account (lastError); a long one answers with "never synced" meanwhile.
 */
async function firstSync(services: Services, row: ConnectionsTable): Promise<AdAccount> {
  let timer: NodeJS.Timeout | undefined;
  const read = syncAdAccount(services, row.id).then((r) => r.account, (err: unknown) => {
    services.log.warn({ err, adAccount: configOf(row).adAccountId }, 'the first ads sync after linking failed');
    return undefined;
  });
  const waited = new Promise<undefined>((resolve) => { timer = setTimeout(resolve, LINK_SYNC_WAIT_MS, undefined); timer.unref(); });
  const synced = await Promise.race([read, waited]);
  clearTimeout(timer);
  if (synced) return synced;
  const now = await services.db.selectFrom('connections').selectAll().where('id', '=', row.id).executeTakeFirst();
  return toAdAccount(now ?? row);
}

/** Unlinks the account; its synced ads stay in the catalog as they were last seen. */
export async function unlinkAdAccount(db: Executor, id: string) {
  await accountRow(db, id);
  await db.deleteFrom('connections').where('id', '=', id).execute();
}

/**
 * Pages through the account's ads and upserts them; an ad Meta no longer lists at all is marked
 * DELETED (it can no longer trigger). Failures are kept on the account (`lastError`) and thrown.
 */
export async function syncAdAccount(services: Services, id: string): Promise<{ account: AdAccount; synced: number; noLongerListed: number }> {
  const row = await accountRow(services.db, id);
  const { adAccountId } = configOf(row);
  const token = tokenOf(services, row);
  const seen = new Set<string>();
  const now = nowIso();
  try {
    let after: string | undefined;
    for (let page = 0; page < 500; page++) {
      const answer = await graphCall<{ data?: GraphAd[]; paging?: { cursors?: { after?: string }; next?: string } }>({
        method: 'GET', path: `/${adAccountId}/ads`, token,
        query: { fields: AD_FIELDS, limit: '100', effective_status: JSON.stringify(AD_STATUSES), ...(after ? { after } : {}) },
      }, { baseUrl: services.config.metaGraphUrl });
      for (const ad of answer.data ?? []) {
        if (!ad.id || seen.has(ad.id)) continue;
        seen.add(ad.id);
        const destination = ad.adset?.destination_type ?? 'UNKNOWN';
        const values = {
          ad_account_id: adAccountId, name: (ad.name ?? ad.id).slice(0, 200), channel: CHANNEL_OF_DESTINATION[destination] ?? destination.toLowerCase(),
          status: ad.effective_status ?? 'UNKNOWN', objective: ad.campaign?.objective ?? 'UNKNOWN', optimization_goal: ad.adset?.optimization_goal ?? 'UNKNOWN',
          destination_type: destination, source: row.id, created_in_instagram: ad.creative?.source_instagram_media_id ? 1 : 0, synced_at: now,
        };
        await services.db.insertInto('ads').values({ ad_id: ad.id, ...values, created_at: now })
          .onConflict((oc) => oc.column('ad_id').doUpdateSet(values)).execute();
      }
      after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
      if (!after) break;
    }
  } catch (err) {
    const message = err instanceof GraphError ? err.message : (err as Error).message;
    await services.db.updateTable('connections').set({ last_error: message, updated_at: nowIso() }).where('id', '=', row.id).execute();
    if (err instanceof GraphError) throw new HttpError(502, 'ad_sync_failed', `The ads of ${adAccountId} could not be read: ${message}`);
    throw err;
  }
  const gone = await services.db.selectFrom('ads').select('ad_id').where('source', '=', row.id).where('status', 'not in', ['DELETED']).execute();
  const missing = gone.map((g) => g.ad_id).filter((adId) => !seen.has(adId));
  if (missing.length) await services.db.updateTable('ads').set({ status: 'DELETED', synced_at: now }).where('ad_id', 'in', missing).execute();
  await services.db.updateTable('connections').set({ last_synced_at: now, last_error: null, updated_at: now }).where('id', '=', row.id).execute();
  return { account: toAdAccount(await accountRow(services.db, row.id)), synced: seen.size, noLongerListed: missing.length };
}

/** Syncs every linked account, META_ADS_SYNC_MINUTES (default 60; 0 turns it off) after the last pass ended. */
export function scheduleAdSync(services: Services, minutes: number) {
  repeatAfterEach(services, minutes * 60_000, async () => {
    for (const account of await listAdAccounts(services.db)) {
      try { await syncAdAccount(services, account.id); } catch (err) { services.log.warn({ err, adAccount: account.adAccountId }, 'scheduled ads sync failed'); }
    }
  }, (err) => services.log.warn({ err }, 'scheduled ads sync failed'));
}
