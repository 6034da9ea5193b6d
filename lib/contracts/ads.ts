import { z } from 'zod';

// Which ads may trigger a Click-to-Chat workflow: the eligibility lists of the product this is
// modelled on. An ineligible ad can still be stored in the catalog; the editor explains why
// it cannot be picked.

export const AD_CHANNELS = ['whatsapp_business_api', 'whatsapp_cloud_api', 'messenger'] as const;
export const AD_CHANNEL_LABELS: Record<(typeof AD_CHANNELS)[number], string> = {
  whatsapp_business_api: 'WhatsApp Business Platform (API)',
  whatsapp_cloud_api: 'WhatsApp Cloud API',
  messenger: 'Facebook Messenger',
};
export const ELIGIBLE_AD_STATUSES = ['ACTIVE', 'PAUSED'] as const;
export const ELIGIBLE_AD_OBJECTIVES = [
  'BRAND_AWARENESS',
  'LINK_CLICKS',
  'CONVERSIONS',
  'MESSAGES',
  'TRAFFIC',
  'REACH',
  'OUTCOME_ENGAGEMENT',
  'OUTCOME_AWARENESS',
  'OUTCOME_TRAFFIC',
  'OUTCOME_LEADS',
  'OUTCOME_SALES',
] as const;
export const ELIGIBLE_OPTIMIZATION_GOALS = ['OFFSITE_CONVERSIONS', 'CONVERSATIONS', 'IMPRESSIONS', 'LINK_CLICKS'] as const;
export const ELIGIBLE_DESTINATION_TYPES = ['APPLINKS_AUTOMATIC', 'INSTAGRAM_DIRECT', 'MESSENGER', 'APP', 'WHATSAPP'] as const;

const Text = (what: string) => z.string().trim().min(1, `Enter the ${what}`).max(200, `The ${what} has at most 200 characters`);

export const Ad = z.object({
  adAccountId: Text('ad account id'),
  adId: Text('ad id'),
  name: Text('ad name'),
  /** One of AD_CHANNELS for an eligible ad; other channels are stored but cannot trigger. */
  channel: Text('channel'),
  status: Text('status'),
  objective: Text('objective'),
  optimizationGoal: Text('optimization goal'),
  destinationType: Text('destination type'),
  /** Set by the Marketing API sync: the ad was created inside Instagram, not in Ads Manager. */
  createdInInstagram: z.boolean().optional(),
  /** `manual` (typed in) or `synced` (from a linked ad account); set by the server. */
  source: z.enum(['manual', 'synced']).optional(),
});
export type Ad = z.infer<typeof Ad>;

export const AdList = z.object({ ads: z.array(Ad) });
export type AdList = z.infer<typeof AdList>;

const list = (values: readonly string[]) => values.join(', ');
const isIn = (values: readonly string[], value: string) => values.includes(value);

export function adEligibility(ad: Ad): { eligible: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (!isIn(AD_CHANNELS, ad.channel)) {
    reasons.push(
      `Channel ${ad.channel} is not eligible: only ads on ${list(Object.values(AD_CHANNEL_LABELS))} can trigger a workflow`,
    );
  }
  if (!isIn(ELIGIBLE_AD_STATUSES, ad.status)) {
    reasons.push(`Status ${ad.status} is not eligible: only ACTIVE or PAUSED ads can trigger a workflow`);
  }
  if (!isIn(ELIGIBLE_AD_OBJECTIVES, ad.objective)) {
    reasons.push(`Objective ${ad.objective} is not eligible: use one of ${list(ELIGIBLE_AD_OBJECTIVES)}`);
  }
  if (!isIn(ELIGIBLE_OPTIMIZATION_GOALS, ad.optimizationGoal)) {
    reasons.push(
      `Optimization goal ${ad.optimizationGoal} is not eligible: use one of ${list(ELIGIBLE_OPTIMIZATION_GOALS)}`,
    );
  }
  if (!isIn(ELIGIBLE_DESTINATION_TYPES, ad.destinationType)) {
    reasons.push(
      `Destination type ${ad.destinationType} is not eligible: use one of ${list(ELIGIBLE_DESTINATION_TYPES)}`,
    );
  }
  if (ad.createdInInstagram) {
    reasons.push('Created inside Instagram: only ads created and managed in Ads Manager can trigger a workflow');
  }
  return { eligible: reasons.length === 0, reasons };
}

/** An ad as the catalog lists it: whether it may trigger a workflow, and why not. */
export const AdWithEligibility = Ad.extend({ eligible: z.boolean(), reasons: z.array(z.string()) });
export type AdWithEligibility = z.infer<typeof AdWithEligibility>;
export const AdCatalog = z.object({ ads: z.array(AdWithEligibility) });

/** A linked Marketing API ad account the catalog syncs from. */
export const LinkAdAccountBody = z.object({
  adAccountId: z.string().trim().regex(/^(act_)?\d{1,30}$/, 'The ad account id is the number in Ads Manager (act_ prefix optional)')
    .transform((v) => (v.startsWith('act_') ? v : `act_${v}`)),
  accessToken: z.string().trim().min(10, 'Paste the whole access token').max(1000).regex(/^[A-Za-z0-9_\-.|]+$/, 'An access token has no spaces or punctuation besides _ - . |'),
});
export const AdAccount = z.object({
  id: z.string(), adAccountId: z.string(), name: z.string(), tokenLastFour: z.string(),
  lastSyncedAt: z.string().nullable(), lastError: z.string().nullable(),
});
export type AdAccount = z.infer<typeof AdAccount>;
export const AdAccountList = z.object({ accounts: z.array(AdAccount) });
export const AdSyncResult = z.object({ account: AdAccount, synced: z.number(), noLongerListed: z.number() });
/** A published Click-to-Chat workflow naming an ad that can no longer trigger it. */
export const AdWorkflowWarnings = z.object({
  workflows: z.array(z.object({ workflowId: z.string(), name: z.string(), ads: z.array(z.object({ adId: z.string(), reasons: z.array(z.string()) })) })),
});
