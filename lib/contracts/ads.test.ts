import { describe, expect, it } from 'vitest';
import { type Ad, adEligibility } from './ads';

const ad: Ad = {
  adAccountId: 'act_1',
  adId: 'ad_1',
  name: 'Spring sale',
  channel: 'whatsapp_cloud_api',
  status: 'ACTIVE',
  objective: 'OUTCOME_LEADS',
  optimizationGoal: 'CONVERSATIONS',
  destinationType: 'WHATSAPP',
};

describe('adEligibility', () => {
  it.each<[string, Partial<Ad>, string[]]>([
    ['an eligible ad', {}, []],
    ['a paused Messenger ad', { channel: 'messenger', status: 'PAUSED', destinationType: 'MESSENGER' }, []],
    ['a deleted ad', { status: 'DELETED' }, ['Status DELETED is not eligible: only ACTIVE or PAUSED ads can trigger a workflow']],
    ['an Instagram ad', { channel: 'instagram' }, ['Channel instagram is not eligible']],
    ['an app-installs objective', { objective: 'APP_INSTALLS' }, ['Objective APP_INSTALLS is not eligible']],
    ['a reach goal', { optimizationGoal: 'REACH' }, ['Optimization goal REACH is not eligible']],
    ['a website destination', { destinationType: 'WEBSITE' }, ['Destination type WEBSITE is not eligible']],
    ['two problems', { status: 'ARCHIVED', objective: 'VIDEO_VIEWS' }, ['Status ARCHIVED', 'Objective VIDEO_VIEWS']],
  ])('%s', (_, overrides, expected) => {
    const result = adEligibility({ ...ad, ...overrides });
    expect(result.eligible).toBe(expected.length === 0);
    expect(result.reasons).toHaveLength(expected.length);
    expected.forEach((start, i) => expect(result.reasons[i]).toContain(start));
  });
});
