import { describe, expect, it } from 'vitest';
import type { TriggerInput } from '../../../lib/contracts/triggers';
import { makeTrigger } from '../../../lib/contracts/workflow.fixtures';
import { triggerKeys } from './trigger-keys';

describe('triggerKeys', () => {
  it.each<[TriggerInput, string[]]>([
    [{ type: 'conversation_opened' }, ['*']],
    [{ type: 'conversation_closed', conditions: { logic: 'and', rules: [{ field: 'category', operator: 'is', value: 'Spam' }] } }, ['*']],
    [{ type: 'contact_tag_updated', action: 'added', tags: ['vip', 'gold', 'vip'] }, ['added:vip', 'added:gold']],
    [{ type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, ['removed:vip']],
    [{ type: 'contact_field_updated', field: 'plan' }, ['plan']],
    [{ type: 'shortcut', name: 'Refund' }, ['wf_1']],
    [{ type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' } }, ['wf_1']],
    [{ type: 'click_to_chat_ads', adAccountId: 'acc', adIds: ['ad_1', 'ad_2'] }, ['ad_1', 'ad_2']],
    [{ type: 'manual' }, ['wf_1']],
    [{ type: 'mini_app', appId: 'app_1', triggerKey: 'paid' }, ['app_1:paid']],
  ])('%j → %j', (trigger, keys) => {
    expect(triggerKeys('wf_1', makeTrigger(trigger))).toEqual(keys);
  });
});
