import type { Trigger } from '../../../lib/contracts/triggers';
import { tagFold } from '../../../lib/workflow/tags';

/** Every trigger of a type without a narrower key listens on this one. */
export const ANY_KEY = '*';

/**
 * The keys under which a published workflow is indexed for its trigger: dispatch looks an
 * event up by (trigger type, key), so its cost does not grow with the number of workflows.
 */
export function triggerKeys(workflowId: string, trigger: Trigger): string[] {
  switch (trigger.type) {
    case 'conversation_opened':
    case 'conversation_closed':
      return [ANY_KEY];
    case 'contact_tag_updated':
      return [...new Set(trigger.tags.map((tag) => tagKey(trigger.action, tag)))];
    case 'contact_field_updated':
      return [trigger.field];
    case 'click_to_chat_ads':
      return [...new Set(trigger.adIds)];
    case 'mini_app':
      return [miniAppKey(trigger.appId, trigger.triggerKey)];
    case 'shortcut':
    case 'incoming_webhook':
    case 'manual':
      return [workflowId];
  }
}

/**
 * Tags match in any case, so the key holds the tag folded (on publish and on dispatch alike);
 * migration 071 refolded the keys of workflows published before.
 */
export const tagKey = (action: 'added' | 'removed', tag: string) => `${action}:${tagFold(tag)}`;
export const miniAppKey = (appId: string, triggerKey: string) => `${appId}:${triggerKey}`;
