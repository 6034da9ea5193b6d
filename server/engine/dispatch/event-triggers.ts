import type { DomainEvent } from '../../../lib/contracts/events';
import { adReferralVariables } from '../../../lib/contracts/ad-referral';
import { triggerVariables, type Trigger, type TriggerType } from '../../../lib/contracts/triggers';
import { matchConditions } from '../../../lib/workflow/conditions';
import { hasTag } from '../../../lib/workflow/tags';
import { ANY_KEY, miniAppKey, tagKey } from './trigger-keys';

/** What an event offers to triggers: where to look in the index, and for whom runs start. */
export interface TriggerMatch {
  type: TriggerType;
  keys: string[];
  /** One run per contact (a webhook may name several). */
  contactIds: string[];
  /** The event's conversation; otherwise the run gets the contact's open one. */
  conversationId: string | null;
  /** The facts trigger conditions test (`source`, `category`, `channel` in one word, Chatwoot's `inbox` by name). */
  facts: Record<string, string | undefined>;
  /** `$trigger.*` as the event provides them; a shortcut's are completed from its form. */
  variables: Record<string, unknown>;
}

type SourcedEvent = DomainEvent & { source: string };

/** Pure: the trigger an event may fire, or null for events no trigger listens to. */
export function triggerMatchOf(event: SourcedEvent): TriggerMatch | null {
  const one = (type: TriggerType, key: string, contactId: string, conversationId: string | null, variables: Record<string, unknown>, facts: TriggerMatch['facts'] = {}): TriggerMatch =>
    ({ type, keys: [key], contactIds: [contactId], conversationId, facts, variables });
  switch (event.type) {
    case 'conversation.opened': {
      const p = event.payload;
      return one('conversation_opened', ANY_KEY, p.contactId, p.conversationId, {
        source: event.source, conversationId: p.conversationId, firstIncomingMessage: p.firstIncomingMessage,
        assigneeId: p.assigneeId ?? null, channel: p.channel ?? null, openedBy: p.by ?? null, ...placeVariables(p),
      }, { source: event.source, ...placeFacts(p) });
    }
    case 'conversation.closed': {
      const p = event.payload;
      // Merging contacts closes a conversation as bookkeeping, not as an outcome; so does a
      // connected inbox opening another conversation for the contact (one open per contact), and
      // Chatwoot having deleted it (nobody resolved it: no survey, no follow-up is due).
      if (p.reason === 'merge' || p.reason === 'superseded' || p.reason === 'deleted_in_chatwoot') return null;
      return one('conversation_closed', ANY_KEY, p.contactId, p.conversationId, {
        source: event.source, conversationId: p.conversationId, category: p.category, summary: p.summary,
        resolutionTimeSeconds: p.resolutionTimeSeconds, firstResponseTimeSeconds: p.firstResponseTimeSeconds,
        assigneeId: p.assigneeId ?? null, channel: p.channel ?? null, closedBy: p.by ?? null, ...placeVariables(p),
      }, { source: event.source, category: p.category ?? undefined, ...placeFacts(p) });
    }
    case 'contact.tag_added':
    case 'contact.tag_removed': {
      const action = event.type === 'contact.tag_added' ? 'added' : 'removed';
      return one('contact_tag_updated', tagKey(action, event.payload.tag), event.payload.contactId, null,
        { tag: event.payload.tag, action, changedBy: event.payload.by ?? null, changedByType: event.source });
    }
    case 'contact.field_updated': {
      const p = event.payload;
      if (sameValue(p.oldValue, p.newValue)) return null;
      return one('contact_field_updated', p.field, p.contactId, null, {
        field: p.field, oldValue: p.oldValue ?? null, newValue: p.newValue ?? null, changedBy: p.by ?? null, changedByType: event.source,
      });
    }
    case 'shortcut.launched': {
      const p = event.payload;
      return one('shortcut', p.workflowId, p.contactId, p.conversationId, { ...p.values, launchedBy: p.launchedBy, launchedByName: p.launchedByName });
    }
    case 'webhook.received': {
      const p = event.payload;
      return { type: 'incoming_webhook', keys: [p.workflowId], contactIds: [...new Set(p.contactIds)], conversationId: null, facts: {}, variables: p.variables };
    }
    case 'ad.clicked': {
      const p = event.payload;
      // An ad that became ineligible (DELETED, ARCHIVED, …) fires nothing; the event's note says why.
      if (p.ineligible) return null;
      return one('click_to_chat_ads', p.adId, p.contactId, p.conversationId,
        { adId: p.adId, adName: p.adName, ctwaClid: p.ctwaClid, message: p.message, ...(p.referral ? adReferralVariables(p.referral) : {}) });
    }
    case 'mini_app.triggered': {
      const p = event.payload;
      return one('mini_app', miniAppKey(p.appId, p.triggerKey), p.contactId, null, p.items);
    }
    case 'workflow.started': {
      const p = event.payload;
      return one('manual', p.workflowId, p.contactId, null, p.variables);
    }
    default:
      return null;
  }
}

/** Where the conversation lives, for `channel` and `inbox` rules (absent on events from before it was kept). */
const placeFacts = (p: { channelType?: string | null | undefined; inboxName?: string | null | undefined }) =>
  ({ channel: p.channelType ?? undefined, inbox: p.inboxName ?? undefined });

/** The same as `$trigger.inboxName` / `$trigger.channelType`: a Closed run has no open conversation to read them from. */
const placeVariables = (p: { channelType?: string | null | undefined; inboxName?: string | null | undefined }) =>
  ({ inboxName: p.inboxName ?? null, channelType: p.channelType ?? null });

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** Pure: whether a workflow's trigger (found through the index) accepts this event. */
export function triggerAccepts(trigger: Trigger, match: TriggerMatch): boolean {
  if (trigger.type !== match.type) return false;
  switch (trigger.type) {
    case 'conversation_opened':
    case 'conversation_closed':
      return matchConditions(trigger.conditions, match.facts);
    case 'contact_tag_updated':
      return trigger.action === match.variables.action && hasTag(trigger.tags, String(match.variables.tag));
    case 'contact_field_updated':
      return trigger.field === match.variables.field;
    case 'click_to_chat_ads':
      return trigger.adIds.includes(String(match.variables.adId));
    default:
      // Keyed by workflow id or app trigger: the index lookup already decided.
      return true;
  }
}

/**
 * The `$trigger` variables of a run. A shortcut's optional field left empty, or a webhook mapping
 * that found nothing, is null: known to the workflow, just empty.
 */
export function runTriggerVariables(trigger: Trigger, match: TriggerMatch): Record<string, unknown> {
  const declared = (names: string[], extra: Record<string, unknown> = {}) => {
    const variables: Record<string, unknown> = {};
    for (const name of names) variables[name] = match.variables[name] ?? null;
    return { ...variables, ...extra };
  };
  if (trigger.type === 'shortcut') {
    // launchedByName: the launching user's name when launched (events from before it was kept: null).
    return declared(trigger.form.fields.map((f) => f.variable), { launchedBy: match.variables.launchedBy, launchedByName: match.variables.launchedByName ?? null });
  }
  if (trigger.type === 'incoming_webhook') return declared(trigger.mappings.map((m) => m.variable));
  if (trigger.type === 'manual' || trigger.type === 'mini_app') return match.variables;
  // Exactly the names the contract lists for this trigger (the options page offers the same).
  return declared(triggerVariables(trigger));
}
