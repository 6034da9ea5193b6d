import { describe, expect, it } from 'vitest';
import { AD_REFERRAL_TRIGGER_VARIABLES } from '../../../lib/contracts/ad-referral';
import type { DomainEvent } from '../../../lib/contracts/events';
import type { TriggerInput } from '../../../lib/contracts/triggers';
import { makeTrigger } from '../../../lib/contracts/workflow.fixtures';
import { runTriggerVariables, triggerAccepts, triggerMatchOf } from './event-triggers';
import { triggerKeys } from './trigger-keys';

/** An ad event recorded before the referral was kept: its referral variables are known, and null. */
const noReferral = Object.fromEntries(AD_REFERRAL_TRIGGER_VARIABLES.map((v) => [v, null]));
const opened = (source: string): DomainEvent & { source: string } => ({
  type: 'conversation.opened', source, payload: { contactId: 'con_1', conversationId: 'cnv_1', firstIncomingMessage: 'hi' },
});
const closed = (source: string, category: string | null, reason: string | null = null): DomainEvent & { source: string } => ({
  type: 'conversation.closed', source,
  payload: { contactId: 'con_1', conversationId: 'cnv_1', category, summary: 's', reason, resolutionTimeSeconds: 60, firstResponseTimeSeconds: null },
});
const tag = (type: 'contact.tag_added' | 'contact.tag_removed', name: string): DomainEvent & { source: string } =>
  ({ type, source: 'user', payload: { contactId: 'con_1', tag: name } });
const field = (name: string, oldValue: unknown, newValue: unknown): DomainEvent & { source: string } =>
  ({ type: 'contact.field_updated', source: 'user', payload: { contactId: 'con_1', field: name, oldValue, newValue } });

/** Whether the event fires the trigger: same index key, and the trigger accepts it. */
function fires(trigger: TriggerInput, event: DomainEvent & { source: string }): boolean {
  const parsed = makeTrigger(trigger);
  const match = triggerMatchOf(event);
  if (!match || match.type !== parsed.type) return false;
  const keys = triggerKeys('wf_1', parsed);
  return match.keys.some((k) => keys.includes(k)) && triggerAccepts(parsed, match);
}

// Typed as the contract's literal unions, so a table row reads like the JSON an admin sends.
const rule = <F extends 'source' | 'category', V extends string>(field: F, operator: 'is' | 'is_not', value: V) => ({ field, operator, value });

describe('which events fire which triggers', () => {
  it.each<[string, TriggerInput, DomainEvent & { source: string }, boolean]>([
    ['opened, no conditions', { type: 'conversation_opened' }, opened('contact'), true],
    ['opened, source is user (user)', { type: 'conversation_opened', conditions: { logic: 'and', rules: [rule('source', 'is', 'user')] } }, opened('user'), true],
    ['opened, source is user (api)', { type: 'conversation_opened', conditions: { logic: 'and', rules: [rule('source', 'is', 'user')] } }, opened('api'), false],
    ['opened, source is_not api (zapier)', { type: 'conversation_opened', conditions: { logic: 'and', rules: [rule('source', 'is_not', 'api')] } }, opened('zapier'), true],
    ['opened, OR of two sources (make)', { type: 'conversation_opened', conditions: { logic: 'or', rules: [rule('source', 'is', 'zapier'), rule('source', 'is', 'make')] } }, opened('make'), true],
    ['opened, AND of two sources never holds', { type: 'conversation_opened', conditions: { logic: 'and', rules: [rule('source', 'is', 'zapier'), rule('source', 'is', 'make')] } }, opened('make'), false],
    ['opened, click-to-chat source', { type: 'conversation_opened', conditions: { logic: 'and', rules: [rule('source', 'is', 'click_to_chat_ads')] } }, opened('click_to_chat_ads'), true],
    ['opened does not fire a close trigger', { type: 'conversation_closed' }, opened('user'), false],
    ['closed, no conditions', { type: 'conversation_closed' }, closed('bot', null), true],
    ['closed by merge fires nothing', { type: 'conversation_closed' }, closed('user', null, 'merge'), false],
    ['closed, category is Spam (Spam)', { type: 'conversation_closed', conditions: { logic: 'and', rules: [rule('category', 'is', 'Spam')] } }, closed('user', 'Spam'), true],
    ['closed, category is Spam (Resolved)', { type: 'conversation_closed', conditions: { logic: 'and', rules: [rule('category', 'is', 'Spam')] } }, closed('user', 'Resolved'), false],
    ['closed, category is Spam (none)', { type: 'conversation_closed', conditions: { logic: 'and', rules: [rule('category', 'is', 'Spam')] } }, closed('user', null), false],
    ['closed, source user AND category Spam (bot)', { type: 'conversation_closed', conditions: { logic: 'and', rules: [rule('source', 'is', 'user'), rule('category', 'is', 'Spam')] } }, closed('bot', 'Spam'), false],
    ['closed, source user OR category Spam (bot)', { type: 'conversation_closed', conditions: { logic: 'or', rules: [rule('source', 'is', 'user'), rule('category', 'is', 'Spam')] } }, closed('bot', 'Spam'), true],
    ['closed, category is_not Spam (none)', { type: 'conversation_closed', conditions: { logic: 'and', rules: [rule('category', 'is_not', 'Spam')] } }, closed('workflow', null), true],
    ['tag added, listed', { type: 'contact_tag_updated', action: 'added', tags: ['vip', 'gold'] }, tag('contact.tag_added', 'gold'), true],
    ['tag added, not listed', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, tag('contact.tag_added', 'gold'), false],
    ['tag removed does not fire "added"', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }, tag('contact.tag_removed', 'vip'), false],
    ['tag removed fires "removed"', { type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, tag('contact.tag_removed', 'vip'), true],
    ['tag added does not fire "removed"', { type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, tag('contact.tag_added', 'vip'), false],
    ['field changed', { type: 'contact_field_updated', field: 'plan' }, field('plan', 'Free', 'Pro'), true],
    ['field set for the first time', { type: 'contact_field_updated', field: 'plan' }, field('plan', null, 'Pro'), true],
    ['field set to the same value', { type: 'contact_field_updated', field: 'plan' }, field('plan', 'Pro', 'Pro'), false],
    ['another field changed', { type: 'contact_field_updated', field: 'plan' }, field('order_id', '1', '2'), false],
  ])('%s', (_name, trigger, event, expected) => {
    expect(fires(trigger, event)).toBe(expected);
  });

  it.each<[string, DomainEvent & { source: string }]>([
    ['message.created', { type: 'message.created', source: 'user', payload: { contactId: 'c', conversationId: 'v', messageId: 'm', direction: 'incoming', kind: 'message' } }],
    ['contact.created', { type: 'contact.created', source: 'user', payload: { contactId: 'c' } }],
    ['conversation.assigned', { type: 'conversation.assigned', source: 'user', payload: { contactId: 'c', conversationId: 'v', assigneeId: null } }],
  ])('%s fires no trigger', (_name, event) => {
    expect(triggerMatchOf(event)).toBeNull();
  });

  it.each<[string, DomainEvent & { source: string }, string, string[]]>([
    ['shortcut.launched', { type: 'shortcut.launched', source: 'user', payload: { contactId: 'c', conversationId: 'v', workflowId: 'wf_9', values: {}, launchedBy: 'usr_1' } }, 'shortcut', ['wf_9']],
    ['webhook.received', { type: 'webhook.received', source: 'api', payload: { workflowId: 'wf_9', contactIds: ['a', 'b', 'a'], variables: {}, errors: [] } }, 'incoming_webhook', ['wf_9']],
    ['ad.clicked', { type: 'ad.clicked', source: 'click_to_chat_ads', payload: { contactId: 'c', conversationId: null, adId: 'ad_7', adName: 'Spring', ctwaClid: null, message: null } }, 'click_to_chat_ads', ['ad_7']],
    ['mini_app.triggered', { type: 'mini_app.triggered', source: 'api', payload: { contactId: 'c', appId: 'app_1', triggerKey: 'paid', items: {} } }, 'mini_app', ['app_1:paid']],
    ['workflow.started', { type: 'workflow.started', source: 'workflow', payload: { contactId: 'c', workflowId: 'wf_9', variables: {}, byRunId: 'run_1' } }, 'manual', ['wf_9']],
  ])('%s looks up %s by its key', (_name, event, type, keys) => {
    expect(triggerMatchOf(event)).toMatchObject({ type, keys });
  });

  it('a webhook naming a contact twice starts one run for it', () => {
    const match = triggerMatchOf({ type: 'webhook.received', source: 'api', payload: { workflowId: 'wf', contactIds: ['a', 'b', 'a'], variables: {}, errors: [] } });
    expect(match?.contactIds).toEqual(['a', 'b']);
  });
});

describe('trigger variables of a run', () => {
  it.each<[string, TriggerInput, DomainEvent & { source: string }, Record<string, unknown>]>([
    ['conversation opened', { type: 'conversation_opened' }, opened('contact'),
      { source: 'contact', conversationId: 'cnv_1', firstIncomingMessage: 'hi', assigneeId: null, channel: null, openedBy: null, inboxName: null, channelType: null }],
    ['conversation opened in a Chatwoot inbox', { type: 'conversation_opened' },
      { ...opened('contact'), payload: { ...opened('contact').payload, channel: 'chatwoot', inboxName: 'Website', channelType: 'web' } } as DomainEvent & { source: string },
      { source: 'contact', conversationId: 'cnv_1', firstIncomingMessage: 'hi', assigneeId: null, channel: 'chatwoot', openedBy: null, inboxName: 'Website', channelType: 'web' }],
    ['conversation closed', { type: 'conversation_closed' }, closed('user', 'Spam'),
      { source: 'user', conversationId: expect.any(String), category: 'Spam', summary: 's', resolutionTimeSeconds: 60, firstResponseTimeSeconds: null,
        assigneeId: null, channel: null, closedBy: null, inboxName: null, channelType: null }],
    ['tag', { type: 'contact_tag_updated', action: 'removed', tags: ['vip'] }, tag('contact.tag_removed', 'vip'), { tag: 'vip', action: 'removed', changedBy: null, changedByType: expect.any(String) }],
    ['field', { type: 'contact_field_updated', field: 'plan' }, field('plan', 'Free', 'Pro'), { field: 'plan', oldValue: 'Free', newValue: 'Pro', changedBy: null, changedByType: expect.any(String) }],
    ['shortcut: every form variable, empty ones null, plus launchedBy and launchedByName',
      { type: 'shortcut', name: 'Refund', form: { fields: [{ label: 'Order', type: 'text', variable: 'orderId' }, { label: 'Note', type: 'text', variable: 'note' }] } },
      { type: 'shortcut.launched', source: 'user', payload: { contactId: 'c', conversationId: 'v', workflowId: 'wf', values: { orderId: '42', stray: 'x' }, launchedBy: 'usr_1', launchedByName: 'Ava' } },
      { orderId: '42', note: null, launchedBy: 'usr_1', launchedByName: 'Ava' }],
    // Launched before the name was kept in the event: known to the workflow, just empty.
    ['shortcut launched before launchedByName was kept',
      { type: 'shortcut', name: 'Refund', form: { fields: [] } },
      { type: 'shortcut.launched', source: 'user', payload: { contactId: 'c', conversationId: 'v', workflowId: 'wf', values: {}, launchedBy: 'usr_1' } },
      { launchedBy: 'usr_1', launchedByName: null }],
    ['webhook: every mapping, missing ones null',
      { type: 'incoming_webhook', identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [{ jsonKey: '$.a', variable: 'a' }, { jsonKey: '$.b', variable: 'b' }] },
      { type: 'webhook.received', source: 'api', payload: { workflowId: 'wf', contactIds: ['c'], variables: { a: 1 }, errors: [] } },
      { a: 1, b: null }],
    ['ad', { type: 'click_to_chat_ads', adAccountId: 'acc', adIds: ['ad_7'] },
      { type: 'ad.clicked', source: 'click_to_chat_ads', payload: { contactId: 'c', conversationId: null, adId: 'ad_7', adName: 'Spring', ctwaClid: 'clid', message: 'Hi' } },
      { ...noReferral, adId: 'ad_7', adName: 'Spring', ctwaClid: 'clid', message: 'Hi' }],
    ['ad with its referral', { type: 'click_to_chat_ads', adAccountId: 'acc', adIds: ['ad_7'] },
      { type: 'ad.clicked', source: 'click_to_chat_ads', payload: { contactId: 'c', conversationId: null, adId: 'ad_7', adName: 'Spring', ctwaClid: 'clid', message: 'Hi', referral: {
        channel: 'whatsapp', adId: 'ad_7', adName: 'Spring', headline: 'Chat with us', body: 'Body', sourceUrl: 'https://fb.me/x', sourceType: 'ad', mediaType: 'video',
        imageUrl: null, videoUrl: 'https://v', thumbnailUrl: 'https://t', ctwaClid: 'clid', ref: null, postId: null, productId: null,
      } } },
      { adId: 'ad_7', adName: 'Spring', ctwaClid: 'clid', message: 'Hi', headline: 'Chat with us', body: 'Body', sourceUrl: 'https://fb.me/x', sourceId: 'ad_7', sourceType: 'ad',
        mediaType: 'video', imageUrl: null, videoUrl: 'https://v', thumbnailUrl: 'https://t', ref: null, postId: null, productId: null, channel: 'whatsapp' }],
    ['manual: the caller\'s variables', { type: 'manual' },
      { type: 'workflow.started', source: 'workflow', payload: { contactId: 'c', workflowId: 'wf', variables: { orderId: '9' }, byRunId: 'run_1' } }, { orderId: '9' }],
    ['mini-app: the items', { type: 'mini_app', appId: 'app', triggerKey: 'paid' },
      { type: 'mini_app.triggered', source: 'api', payload: { contactId: 'c', appId: 'app', triggerKey: 'paid', items: { amount: 5 } } }, { amount: 5 }],
  ])('%s', (_name, trigger, event, expected) => {
    const match = triggerMatchOf(event);
    expect(match).not.toBeNull();
    expect(runTriggerVariables(makeTrigger(trigger), match!)).toEqual(expected);
  });
});
