import { CONVERSATION_CHANNEL_LABELS, CONVERSATION_CHANNELS } from '../../lib/contracts/conversation-channels';
import { CLOSED_SOURCES, OPENED_SOURCES } from '../../lib/contracts/triggers';
import { useChatwootInboxes } from './chatwoot-inboxes';
import { ConditionBuilder, type ConditionFieldSpec, type ConditionsDraft } from './ConditionBuilder';
import type { TriggerDraftOf } from './draft-types';
import { useClosingCategories } from './queries';

type Props = {
  trigger: TriggerDraftOf<'conversation_opened'> | TriggerDraftOf<'conversation_closed'>;
  onChange(trigger: TriggerDraftOf<'conversation_opened'> | TriggerDraftOf<'conversation_closed'>): void;
};

/**
 * Conversation opened/closed: optional rules on the source (and, for closed, the category), and on
 * where the conversation lives: its channel, and its Chatwoot inbox (picked from the connected
 * accounts' inboxes; typed when none can be read).
 */
export function ConversationTriggerFields({ trigger, onChange }: Props) {
  const categories = useClosingCategories();
  const inboxes = useChatwootInboxes();
  const inboxNames = [...new Set((inboxes.data?.inboxes ?? []).map((i) => i.name))];
  const where: ConditionFieldSpec[] = [
    { field: 'channel', label: 'Channel', values: CONVERSATION_CHANNELS, labels: CONVERSATION_CHANNEL_LABELS },
    { field: 'inbox', label: 'Inbox', values: inboxNames },
  ];
  const fields: ConditionFieldSpec[] = trigger.type === 'conversation_opened'
    ? [{ field: 'source', label: 'Source', values: OPENED_SOURCES }, ...where]
    : [
        { field: 'source', label: 'Source', values: CLOSED_SOURCES },
        { field: 'category', label: 'Category', values: categories.data?.categories ?? [] },
        ...where,
      ];
  const value: ConditionsDraft = trigger.conditions ?? { logic: 'and', rules: [] };
  // The contract types rules per trigger; the builder only ever offers values from `fields`.
  return (
    <ConditionBuilder
      value={value}
      fields={fields}
      path="trigger.conditions"
      onChange={(conditions) => onChange({ ...trigger, conditions } as Props['trigger'])}
    />
  );
}
