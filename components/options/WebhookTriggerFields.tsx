import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { WEBHOOK_IDENTIFIER_TYPES } from '../../lib/contracts/triggers';
import { errorMessage, request } from './api';
import type { TriggerDraftOf } from './draft-types';
import { Field } from './Field';
import { WebhookMappings } from './WebhookMappings';
import { WebhookTester } from './WebhookTester';

type T = TriggerDraftOf<'incoming_webhook'>;
interface Props { trigger: T; onChange(t: T): void; workflowId: string | undefined }

const IDENTIFIER_LABELS = { contactId: 'Contact ID', phone: 'Phone number', email: 'Email address' } as const;

function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

/** Incoming webhook: its URL, who the contact is, which values become variables, an optional secret. */
export function WebhookTriggerFields({ trigger, onChange, workflowId }: Props) {
  const [copied, setCopied] = useState(false);
  const regenerate = useMutation({
    mutationFn: () => request(z.object({ url: z.string() }), 'POST', `/workflows/${encodeURIComponent(workflowId ?? '')}/webhook/regenerate`),
    onSuccess: ({ url }) => onChange({ ...trigger, url }),
  });
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
        ) : <p className="hint">Save the workflow to get its URL.</p>}
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
        <input type="checkbox" checked={!!trigger.signingSecret}
          onChange={(e) => onChange({ ...trigger, signingSecret: e.target.checked ? newSecret() : null })} />
        Require signed requests (Standard Webhooks)
      </label>
      {trigger.signingSecret && (
        <Field label="Signing secret" path="trigger.signingSecret" hint="Senders sign with this secret; unsigned requests get 401.">
          {(p) => <input {...p} className="mono" value={trigger.signingSecret ?? ''} onChange={(e) => onChange({ ...trigger, signingSecret: e.target.value })} />}
        </Field>
      )}
      <WebhookTester workflowId={workflowId} trigger={trigger} />
    </>
  );
}
