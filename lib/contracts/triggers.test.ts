import { describe, expect, it } from 'vitest';
import { type TriggerInput, TRIGGER_TYPES, Trigger, triggerVariables } from './triggers';

const sourceRule = (value: string, operator = 'is') => ({ field: 'source', operator, value });
const categoryRule = (value: string) => ({ field: 'category', operator: 'is', value });
const channelRule = (value: string) => ({ field: 'channel', operator: 'is', value });
const inboxRule = (value: string) => ({ field: 'inbox', operator: 'is_not', value });
const webhook = (over: object = {}) => ({
  type: 'incoming_webhook',
  identifier: { type: 'phone', jsonKey: '$.phone' },
  mappings: [{ jsonKey: '$.order.id', variable: 'orderId' }],
  ...over,
});

describe('Trigger', () => {
  it.each<[string, unknown]>([
    ['opened without conditions', { type: 'conversation_opened' }],
    ['opened on a source', { type: 'conversation_opened', conditions: { logic: 'or', rules: [sourceRule('click_to_chat_ads')] } }],
    ['closed without conditions', { type: 'conversation_closed' }],
    ['opened on a channel and a Chatwoot inbox', { type: 'conversation_opened', conditions: { logic: 'and', rules: [sourceRule('contact'), channelRule('whatsapp'), inboxRule('Website')] } }],
    ['closed on channel and inbox, 10 each', { type: 'conversation_closed', conditions: { logic: 'or', rules: [...Array(10).fill(channelRule('email')), ...Array(10).fill(inboxRule('Support')), categoryRule('Spam')] } }],
    ['closed on source and category', { type: 'conversation_closed', conditions: { logic: 'and', rules: [sourceRule('bot'), categoryRule('Resolved')] } }],
    ['closed with 10 source + 10 category rules', { type: 'conversation_closed', conditions: { logic: 'or', rules: [...Array(10).fill(sourceRule('api')), ...Array(10).fill(categoryRule('Spam'))] } }],
    ['tag added', { type: 'contact_tag_updated', action: 'added', tags: ['vip'] }],
    ['field updated', { type: 'contact_field_updated', field: 'plan' }],
    ['a shortcut with defaults', { type: 'shortcut', name: 'Refund' }],
    ['a shortcut with a flag icon', { type: 'shortcut', name: 'Refund', icon: '🇩🇪' }],
    ['a webhook', webhook()],
    ['a webhook with a signing secret', webhook({ signingSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })],
    ['a webhook with a null signing secret', webhook({ signingSecret: null })],
    ['a webhook with a JSON path into an array', webhook({ identifier: { type: 'email', jsonKey: '$.data.contacts[1].email' } })],
    ['ads', { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: ['ad_1'] }],
    ['manual', { type: 'manual' }],
    ['mini app', { type: 'mini_app', appId: 'app_1', triggerKey: 'order_paid' }],
  ])('accepts %s', (_, trigger) => {
    const result = Trigger.safeParse(trigger);
    expect(result.error).toBeUndefined();
  });

  it.each<[string, unknown, (string | number)[]]>([
    ['an unknown type', { type: 'cron' }, ['type']],
    ['an opened source that is not one', { type: 'conversation_opened', conditions: { logic: 'and', rules: [sourceRule('zap')] } }, ['conditions', 'rules', 0, 'value']],
    ['a closed source that only opens', { type: 'conversation_closed', conditions: { logic: 'and', rules: [sourceRule('contact')] } }, ['conditions', 'rules', 0, 'value']],
    ['a category rule on opened', { type: 'conversation_opened', conditions: { logic: 'and', rules: [categoryRule('x')] } }, ['conditions', 'rules', 0, 'field']],
    ['an empty category', { type: 'conversation_closed', conditions: { logic: 'and', rules: [categoryRule(' ')] } }, ['conditions', 'rules', 0, 'value']],
    ['a category over 100 chars', { type: 'conversation_closed', conditions: { logic: 'and', rules: [categoryRule('x'.repeat(101))] } }, ['conditions', 'rules', 0, 'value']],
    ['11 source rules on opened', { type: 'conversation_opened', conditions: { logic: 'or', rules: Array(11).fill(sourceRule('api')) } }, ['conditions', 'rules']],
    ['a channel that is not one', { type: 'conversation_opened', conditions: { logic: 'and', rules: [channelRule('fax')] } }, ['conditions', 'rules', 0, 'value']],
    ['an empty inbox', { type: 'conversation_closed', conditions: { logic: 'and', rules: [inboxRule(' ')] } }, ['conditions', 'rules', 0, 'value']],
    ['11 inbox rules on opened', { type: 'conversation_opened', conditions: { logic: 'or', rules: Array(11).fill(inboxRule('a')) } }, ['conditions', 'rules']],
    ['11 category rules on closed', { type: 'conversation_closed', conditions: { logic: 'or', rules: Array(11).fill(categoryRule('a')) } }, ['conditions', 'rules']],
    ['a contains operator', { type: 'conversation_opened', conditions: { logic: 'or', rules: [sourceRule('api', 'contains')] } }, ['conditions', 'rules', 0, 'operator']],
    ['no tags', { type: 'contact_tag_updated', action: 'added', tags: [] }, ['tags']],
    ['a blank tag', { type: 'contact_tag_updated', action: 'added', tags: ['  '] }, ['tags', 0]],
    ['a 65-char tag', { type: 'contact_tag_updated', action: 'removed', tags: ['t'.repeat(65)] }, ['tags', 0]],
    ['51 tags', { type: 'contact_tag_updated', action: 'added', tags: Array(51).fill('a') }, ['tags']],
    ['tag action "changed"', { type: 'contact_tag_updated', action: 'changed', tags: ['a'] }, ['action']],
    ['no field', { type: 'contact_field_updated', field: '' }, ['field']],
    ['a shortcut without name', { type: 'shortcut', name: ' ' }, ['name']],
    ['a shortcut name over 60', { type: 'shortcut', name: 'n'.repeat(61) }, ['name']],
    ['a word as icon', { type: 'shortcut', name: 'a', icon: 'zap' }, ['icon']],
    ['a description over 200', { type: 'shortcut', name: 'a', description: 'd'.repeat(201) }, ['description']],
    ['a form with a bad field', { type: 'shortcut', name: 'a', form: { fields: [{ label: 'x', type: 'list', variable: 'x' }] } }, ['form', 'fields', 0, 'options']],
    ['an identifier key without $', webhook({ identifier: { type: 'phone', jsonKey: 'phone' } }), ['identifier', 'jsonKey']],
    ['an identifier of unknown type', webhook({ identifier: { type: 'name', jsonKey: '$.n' } }), ['identifier', 'type']],
    ['a JSON key over 500 chars', webhook({ mappings: [{ jsonKey: '$.' + 'a'.repeat(499), variable: 'a' }] }), ['mappings', 0, 'jsonKey']],
    ['a variable over 30 chars', webhook({ mappings: [{ jsonKey: '$.a', variable: 'v'.repeat(31) }] }), ['mappings', 0, 'variable']],
    ['a variable with a space', webhook({ mappings: [{ jsonKey: '$.a', variable: 'order id' }] }), ['mappings', 0, 'variable']],
    ['a JSON key mapped twice', webhook({ mappings: [{ jsonKey: '$.a', variable: 'x' }, { jsonKey: '$.a', variable: 'y' }] }), ['mappings', 1, 'jsonKey']],
    ['a duplicate variable', webhook({ mappings: [{ jsonKey: '$.a', variable: 'x' }, { jsonKey: '$.b', variable: 'x' }] }), ['mappings', 1, 'variable']],
    ['11 mappings', webhook({ mappings: Array.from({ length: 11 }, (_, i) => ({ jsonKey: `$.a${i}`, variable: `v${i}` })) }), ['mappings']],
    ['a signing secret without prefix', webhook({ signingSecret: 'abc' }), ['signingSecret']],
    ['no ads', { type: 'click_to_chat_ads', adAccountId: 'act', adIds: [] }, ['adIds']],
    ['no ad account', { type: 'click_to_chat_ads', adAccountId: '', adIds: ['a'] }, ['adAccountId']],
    ['a mini app without trigger key', { type: 'mini_app', appId: 'a', triggerKey: '' }, ['triggerKey']],
  ])('rejects %s', (_, trigger, path) => {
    const result = Trigger.safeParse(trigger);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toContainEqual(path);
  });

  it('fills shortcut defaults', () => {
    expect(Trigger.parse({ type: 'shortcut', name: ' Refund ' })).toEqual({
      type: 'shortcut',
      name: 'Refund',
      icon: '⚡',
      description: '',
      form: { fields: [] },
    });
  });

  it('trims tags', () => {
    expect(Trigger.parse({ type: 'contact_tag_updated', action: 'added', tags: [' vip '] })).toMatchObject({ tags: ['vip'] });
  });
});

describe('triggerVariables', () => {
  const cases: Record<(typeof TRIGGER_TYPES)[number], [TriggerInput, string[]]> = {
    conversation_opened: [{ type: 'conversation_opened' }, ['source', 'conversationId', 'firstIncomingMessage', 'assigneeId', 'channel', 'openedBy', 'inboxName', 'channelType']],
    conversation_closed: [
      { type: 'conversation_closed' },
      ['source', 'conversationId', 'category', 'summary', 'resolutionTimeSeconds', 'firstResponseTimeSeconds', 'assigneeId', 'channel', 'closedBy', 'inboxName', 'channelType'],
    ],
    contact_tag_updated: [{ type: 'contact_tag_updated', action: 'added', tags: ['a'] }, ['tag', 'action', 'changedBy', 'changedByType']],
    contact_field_updated: [{ type: 'contact_field_updated', field: 'plan' }, ['field', 'oldValue', 'newValue', 'changedBy', 'changedByType']],
    shortcut: [
      {
        type: 'shortcut',
        name: 'Refund',
        form: { fields: [{ label: 'Order', type: 'text', variable: 'orderId' }, { label: 'Amount', type: 'number', variable: 'amount' }] },
      },
      ['orderId', 'amount', 'launchedBy', 'launchedByName'],
    ],
    incoming_webhook: [webhook() as TriggerInput, ['orderId']],
    click_to_chat_ads: [{ type: 'click_to_chat_ads', adAccountId: 'a', adIds: ['b'] }, [
      'adId', 'adName', 'ctwaClid', 'message', 'headline', 'body', 'sourceUrl', 'sourceId', 'sourceType', 'mediaType', 'imageUrl', 'videoUrl', 'thumbnailUrl',
      'ref', 'postId', 'productId', 'channel',
    ]],
    manual: [{ type: 'manual' }, []],
    mini_app: [{ type: 'mini_app', appId: 'a', triggerKey: 'k' }, []],
  };
  it.each(Object.entries(cases))('%s', (_, [trigger, expected]) => {
    expect(triggerVariables(Trigger.parse(trigger))).toEqual(expected);
  });
});
