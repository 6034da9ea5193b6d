import { HTTP_METHODS } from '../../lib/contracts/steps';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { HttpHeaders } from './HttpHeaders';
import { TemplateInput } from './TemplateInput';
import { WebhookMappings } from './WebhookMappings';

type Method = (typeof HTTP_METHODS)[number];

/** http_request: method, URL, headers, JSON body, timeout, and response values kept as `$step.*`. */
export function HttpStepFields({ config, onChange, path, index }: StepEditorProps<'http_request'>) {
  return (
    <>
      <div className="row">
        <Field label="Method" path={`${path}.method`}>
          {(p) => (
            <select {...p} value={config.method} onChange={(e) => onChange({ ...config, method: e.target.value as Method })}>
              {HTTP_METHODS.map((m) => <option key={m}>{m}</option>)}
            </select>
          )}
        </Field>
        <TemplateInput label="URL" value={config.url} path={`${path}.url`} stepIndex={index} onChange={(url) => onChange({ ...config, url })} />
      </div>
      <HttpHeaders headers={config.headers ?? []} path={`${path}.headers`} stepIndex={index} onChange={(headers) => onChange({ ...config, headers })} />
      {config.method !== 'GET' && (
        <TemplateInput label="JSON body" multiline value={config.body ?? ''} path={`${path}.body`} stepIndex={index}
          placeholder='{ "phone": "{{$contact.phone}}" }' onChange={(body) => onChange({ ...config, body })} />
      )}
      <Field label="Timeout (ms)" path={`${path}.timeoutMs`}>
        {(p) => <input {...p} type="number" min={100} max={30000} value={config.timeoutMs === undefined ? 10000 : Number.isFinite(config.timeoutMs) ? config.timeoutMs : ''}
          onChange={(e) => onChange({ ...config, timeoutMs: e.target.value === '' ? Number.NaN : Number(e.target.value) })} />}
      </Field>
      <WebhookMappings noun="response variable" mappings={config.responseMappings ?? []} path={`${path}.responseMappings`}
        onChange={(responseMappings) => onChange({ ...config, responseMappings })} />
    </>
  );
}
