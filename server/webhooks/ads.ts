import { adEligibility, type Ad } from '../../lib/contracts/ads';
import type { Executor } from '../store/database';

export async function listAds(db: Executor, adId?: string): Promise<Ad[]> {
  let q = db.selectFrom('ads').selectAll();
  if (adId !== undefined) q = q.where('ad_id', '=', adId);
  const rows = await q.orderBy('ad_id').execute();
  return rows.map((r) => ({
    adAccountId: r.ad_account_id, adId: r.ad_id, name: r.name, channel: r.channel, status: r.status,
    objective: r.objective, optimizationGoal: r.optimization_goal, destinationType: r.destination_type,
    ...(r.created_in_instagram ? { createdInInstagram: true } : {}), source: r.source && r.source !== 'manual' ? 'synced' : 'manual',
  }));
}

/** Why a Click-to-Chat trigger may not use these ads (unknown, other account, ineligible); [] when all fit. */
export async function adTriggerProblems(db: Executor, adAccountId: string, adIds: string[]): Promise<{ index: number; message: string }[]> {
  const ads = new Map((await listAds(db)).map((a) => [a.adId, a]));
  const problems: { index: number; message: string }[] = [];
  adIds.forEach((id, index) => {
    const ad = ads.get(id);
    if (!ad) return problems.push({ index, message: `Ad ${id} is not in the ads catalog` });
    if (ad.adAccountId !== adAccountId) return problems.push({ index, message: `Ad ${id} belongs to ad account ${ad.adAccountId}, not ${adAccountId}` });
    const { eligible, reasons } = adEligibility(ad);
    if (!eligible) problems.push({ index, message: `Ad ${id} cannot trigger a workflow: ${reasons.join('; ')}` });
    return undefined;
  });
  return problems;
}
