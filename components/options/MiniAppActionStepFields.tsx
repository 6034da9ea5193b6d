import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useApps } from './queries';
import { TemplateInput } from './TemplateInput';

/** mini_app_action: one of an installed app's packaged requests, with its inputs as templates. */
export function MiniAppActionStepFields({ config, onChange, path, index }: StepEditorProps<'mini_app_action'>) {
  const installed = (useApps().data?.apps ?? []).filter((a) => a.installation);
  const app = installed.find((a) => a.id === config.appId);
  const action = app?.manifest.actions.find((a) => a.key === config.actionKey);
  const inputs = config.inputs ?? {};
  return (
    <>
      <div className="grid2">
        <Field label="App" path={`${path}.appId`}>
          {(p) => (
            <select {...p} value={config.appId} onChange={(e) => onChange({ appId: e.target.value, actionKey: '', inputs: {} })}>
              <option value="">Choose an installed app…</option>
              {installed.map((a) => <option key={a.id} value={a.id}>{a.manifest.name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Action" path={`${path}.actionKey`}>
          {(p) => (
            <select {...p} value={config.actionKey} disabled={!app} onChange={(e) => onChange({ ...config, actionKey: e.target.value, inputs: {} })}>
              <option value="">Choose an action…</option>
              {app?.manifest.actions.map((a) => <option key={a.key} value={a.key}>{a.name}</option>)}
            </select>
          )}
        </Field>
      </div>
      {action?.inputs.map((input) => (
        <TemplateInput key={input.key} label={`${input.label}${input.required ? ' (required)' : ''}`} value={inputs[input.key] ?? ''}
          path={`${path}.inputs.${input.key}`} stepIndex={index} onChange={(v) => onChange({ ...config, inputs: { ...inputs, [input.key]: v } })} />
      ))}
      {action && action.outputs.length > 0 && <p className="hint">Outputs: {action.outputs.map((o) => `$step.${o.variable}`).join(', ')}</p>}
    </>
  );
}
