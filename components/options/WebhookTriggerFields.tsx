import { useId, useState } from 'react';
import { WEBHOOK_IDENTIFIER_TYPES } from '../../lib/contracts/triggers';
import { errorMessage } from './api';
import type { TriggerDraftOf } from './draft-types';
import { Field } from './Field';
import { useWorkflow } from './queries';
import { newSigningSecret } from './signing-secret';
import { useRegenerateWebhookUrl } from './use-regenerate-webhook';
import { WebhookMappings } from './WebhookMappings';
import { WebhookTester } from './WebhookTester';
import { WebhookDeliveries } from './WebhookDeliveries';

type T = TriggerDraftOf<'incoming_webhook'>;
interface Props { trigger: T; onChange(t: T): void; workflowId: string | undefined }

const IDENTIFIER_LABELS = { contactId: 'Contact ID', phone: 'Phone number', email: 'Email address' } as const;

/** Incoming webhook: its URL, who the contact is, which values become variables, an optional secret. */
export function WebhookTriggerFields({ trigger, onChange, workflowId }: Props) {
  const [copied, setCopied] = useState(false);
  const secretNoteId = useId();
  const regenerate = useRegenerateWebhookUrl(workflowId ?? '', (url) => onChange({ ...trigger, url }));
  // What the server could not open (UnreadableSecretsNotice offers the ways out): the fields must
  // not read as a workflow never saved, nor as one taking unsigned requests while it refuses them.
  const unreadable = useWorkflow(workflowId).data?.unreadableSecrets ?? [];
  const urlUnreadable = unreadable.includes('url') && !trigger.url;
  // Left out of the draft (undefined) the stored secret is kept on save and still required; null removes it.
  const secretUnreadable = unreadable.includes('signingSecret') && trigger.signingSecret === undefined;
  const copy = async () => {
    if (!trigger.url) return;
    await navigator.clipboard.writeText(trigger.url);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  return (
    <>
      <div className="field">
        <span className="label">Webhook URL</span>
        {trigger.url ? (
          <div className="row">
            <code className="url" aria-label="Webhook URL">{trigger.url}</code>
            <button type="button" onClick={() => void copy()}>{copied ? 'Copied' : 'Copy URL'}</button>
            <button type="button" disabled={regenerate.isPending}
              onClick={() => { if (confirm('The current URL will stop working. Regenerate?')) regenerate.mutate(); }}>
              Regenerate
            </button>
          </div>
        ) : urlUnreadable
          ? <p className="hint warn">The URL could not be read with this server's secret key; deliveries to it still arrive. Regenerate URL (above) gives a new one to show the sender.</p>
          : <p className="hint">Save the workflow to get its URL.</p>}
        {regenerate.isError && <p className="error" role="alert">{errorMessage(regenerate.error)}</p>}
      </div>
      <div className="grid2">
        <Field label="Identify the contact by" path="trigger.identifier.type">
          {(p) => (
            <select {...p} value={trigger.identifier.type}
              onChange={(e) => onChange({ ...trigger, identifier: { ...trigger.identifier, type: e.target.value as T['identifier']['type'] } })}>
              {WEBHOOK_IDENTIFIER_TYPES.map((t) => <option key={t} value={t}>{IDENTIFIER_LABELS[t]}</option>)}
            </select>
          )}
        </Field>
        <Field label="Identifier JSON key" path="trigger.identifier.jsonKey" hint="A JSONPath, e.g. $.phone or $.data.contact.email; a list starts one run per contact: $.emails, or $[*].email for a batch, where each item’s run reads $[*].name from its own item">
          {(p) => <input {...p} className="mono" value={trigger.identifier.jsonKey}
            onChange={(e) => onChange({ ...trigger, identifier: { ...trigger.identifier, jsonKey: e.target.value } })} />}
        </Field>
      </div>
      <WebhookMappings mappings={trigger.mappings ?? []} path="trigger.mappings" onChange={(mappings) => onChange({ ...trigger, mappings })} />
      <label className="check">
        <input type="checkbox" checked={!!trigger.signingSecret || secretUnreadable} aria-describedby={secretUnreadable ? secretNoteId : undefined}
          onChange={(e) => onChange({ ...trigger, signingSecret: e.target.checked ? newSigningSecret() : null })} />
        Require signed requests (Standard Webhooks)
      </label>
      {secretUnreadable && (
        <p className="hint warn" id={secretNoteId}>Required, but the signing secret could not be read with this server's secret key: deliveries are refused (503) until it is set again (Set a new signing secret, above). Untick to accept unsigned requests instead.</p>
      )}
      {trigger.signingSecret && (
        <Field label="Signing secret" path="trigger.signingSecret" hint="Senders sign with this secret; unsigned requests get 401.">
          {(p) => <input {...p} className="mono" value={trigger.signingSecret ?? ''} onChange={(e) => onChange({ ...trigger, signingSecret: e.target.value })} />}
        </Field>
      )}
      <WebhookTester workflowId={workflowId} trigger={trigger} />
      {workflowId && <WebhookDeliveries workflowId={workflowId} />}
    </>
  );
}
