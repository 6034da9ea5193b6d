import { CLOSED_SOURCES, OPENED_SOURCES } from '../../lib/contracts/triggers';
import { ConditionBuilder, type ConditionFieldSpec, type ConditionsDraft } from './ConditionBuilder';
import type { TriggerDraftOf } from './draft-types';
import { useClosingCategories } from './queries';

type Props = {
  trigger: TriggerDraftOf<'conversation_opened'> | TriggerDraftOf<'conversation_closed'>;
  onChange(trigger: TriggerDraftOf<'conversation_opened'> | TriggerDraftOf<'conversation_closed'>): void;
};

/** Conversation opened/closed: optional rules on the source (and, for closed, the category). */
export function ConversationTriggerFields({ trigger, onChange }: Props) {
  const categories = useClosingCategories();
  const fields: ConditionFieldSpec[] = trigger.type === 'conversation_opened'
    ? [{ field: 'source', label: 'Source', values: OPENED_SOURCES }]
    : [
        { field: 'source', label: 'Source', values: CLOSED_SOURCES },
        { field: 'category', label: 'Category', values: categories.data?.categories ?? [] },
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
