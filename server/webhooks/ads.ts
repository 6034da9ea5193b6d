import { adEligibility, type Ad } from '../../lib/contracts/ads';
import type { Executor } from '../store/database';

export async function listAds(db: Executor): Promise<Ad[]> {
  const rows = await db.selectFrom('ads').selectAll().orderBy('ad_id').execute();
  return rows.map((r) => ({
    adAccountId: r.ad_account_id, adId: r.ad_id, name: r.name, channel: r.channel, status: r.status,
    objective: r.objective, optimizationGoal: r.optimization_goal, destinationType: r.destination_type,
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
