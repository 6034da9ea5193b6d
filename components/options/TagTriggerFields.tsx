import { Field } from './Field';
import { TagInput } from './TagInput';
import type { TriggerDraftOf } from './draft-types';

type T = TriggerDraftOf<'contact_tag_updated'>;

/** Contact tag updated: added or removed, and the tags to watch (any of them). */
export function TagTriggerFields({ trigger, onChange }: { trigger: T; onChange(t: T): void }) {
  return (
    <>
      <Field label="When a tag is" path="trigger.action">
        {(p) => (
          <select {...p} value={trigger.action} onChange={(e) => onChange({ ...trigger, action: e.target.value as T['action'] })}>
            <option value="added">added</option>
            <option value="removed">removed</option>
          </select>
        )}
      </Field>
      <TagInput label="Tags (any of)" tags={trigger.tags} path="trigger.tags" onChange={(tags) => onChange({ ...trigger, tags })} />
    </>
  );
}
