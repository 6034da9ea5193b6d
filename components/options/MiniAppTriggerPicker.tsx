import { Field } from './Field';
import type { TriggerDraftOf } from './draft-types';
import { useApps } from './queries';

type T = TriggerDraftOf<'mini_app'>;

/** Mini-app trigger: one of the triggers of an installed app. */
export function MiniAppTriggerPicker({ trigger, onChange }: { trigger: T; onChange(t: T): void }) {
  const apps = useApps();
  const installed = (apps.data?.apps ?? []).filter((a) => a.installation);
  const app = installed.find((a) => a.id === trigger.appId);
  const chosen = app?.manifest.triggers.find((t) => t.key === trigger.triggerKey);
  return (
    <>
      {apps.isSuccess && installed.length === 0 && <p className="hint">No mini-app is installed: install one under Mini-apps.</p>}
      <Field label="App" path="trigger.appId">
        {(p) => (
          <select {...p} value={trigger.appId} onChange={(e) => onChange({ ...trigger, appId: e.target.value, triggerKey: '' })}>
            <option value="">Choose an installed app…</option>
            {trigger.appId && !app && <option value={trigger.appId}>{trigger.appId} (not installed)</option>}
            {installed.map((a) => <option key={a.id} value={a.id}>{a.manifest.name}</option>)}
          </select>
        )}
      </Field>
      <Field label="App trigger" path="trigger.triggerKey">
        {(p) => (
          <select {...p} value={trigger.triggerKey} disabled={!app} onChange={(e) => onChange({ ...trigger, triggerKey: e.target.value })}>
            <option value="">Choose a trigger…</option>
            {app?.manifest.triggers.map((t) => <option key={t.key} value={t.key}>{t.name}</option>)}
          </select>
        )}
      </Field>
      {chosen && <p className="hint">Variables: {chosen.items.map((i) => `$trigger.${i}`).join(', ') || 'none'}</p>}
    </>
  );
}
