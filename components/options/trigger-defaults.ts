import type { TriggerInput, TriggerType } from '../../lib/contracts/triggers';

export const TRIGGER_LABELS: Record<TriggerType, string> = {
  conversation_opened: 'Conversation opened',
  conversation_closed: 'Conversation closed',
  contact_tag_updated: 'Contact tag updated',
  contact_field_updated: 'Contact field updated',
  shortcut: 'Shortcut',
  incoming_webhook: 'Incoming webhook',
  click_to_chat_ads: 'Click-to-Chat ads',
  manual: 'Started by another workflow (manual)',
  mini_app: 'Mini-app trigger',
};

/** A fresh trigger of a type, with the defaults an admin would pick first. */
export function defaultTrigger(type: TriggerType): TriggerInput {
  switch (type) {
    case 'conversation_opened':
    case 'conversation_closed':
      return { type, conditions: { logic: 'and', rules: [] } };
    case 'contact_tag_updated':
      return { type, action: 'added', tags: [] };
    case 'contact_field_updated':
      return { type, field: '' };
    case 'shortcut':
      return { type, icon: '⚡', name: '', description: '', form: { fields: [] } };
    case 'incoming_webhook':
      return { type, identifier: { type: 'phone', jsonKey: '$.phone' }, mappings: [], signingSecret: null };
    case 'click_to_chat_ads':
      return { type, adAccountId: '', adIds: [] };
    case 'manual':
      return { type };
    case 'mini_app':
      return { type, appId: '', triggerKey: '' };
  }
}
