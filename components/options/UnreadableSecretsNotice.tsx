import { useId } from 'react';
import { errorMessage } from './api';
import type { TriggerDraftOf } from './draft-types';
import { newSigningSecret } from './signing-secret';
import { unreadableSecretsEffect, unreadableSecretsText, type Unreadable } from './unreadable-secrets';
import { useRegenerateWebhookUrl } from './use-regenerate-webhook';

type T = TriggerDraftOf<'incoming_webhook'>;
interface Props {
  workflowId: string;
  /** What the server could not open, as it last said. */
  unreadable: Unreadable;
  trigger: T;
  onChange(trigger: T): void;
}

/**
 * In the editor of a workflow whose URL or signing secret cannot be read with this server's key:
 * says so, and offers the two ways out (a new URL now; a new secret, kept once saved). Without it
 * the trigger read as a workflow never saved ("Save the workflow to get its URL") and as one
 * that takes unsigned requests, while every delivery was refused.
 */
export function UnreadableSecretsNotice({ workflowId, unreadable, trigger, onChange }: Props) {
  const titleId = useId();
  const regenerate = useRegenerateWebhookUrl(workflowId, (url) => onChange({ ...trigger, url }));
  // What the draft has not replaced yet: a regenerated URL is saved at once, a secret on Save;
  // a secret set to null (signed requests no longer required) replaces it too.
  const left = unreadable.filter((what) => (what === 'url' ? !trigger.url : trigger.signingSecret === undefined));
  if (left.length === 0) {
    if (!unreadable.includes('signingSecret')) return null;
    return (
      <p className="summary warn" role="status">
        {trigger.signingSecret ? 'Save the workflow to keep the new signing secret.' : 'Save the workflow to stop requiring signed requests.'}
      </p>
    );
  }
  return (
    <section className="summary warn" aria-labelledby={titleId}>
      <strong id={titleId}>{unreadableSecretsText(left)}</strong>
      <p className="hint">{unreadableSecretsEffect(left)}</p>
      <div className="row">
        {left.includes('url') && (
          <button type="button" disabled={regenerate.isPending}
            onClick={() => { if (confirm('The current URL will stop working. Regenerate?')) regenerate.mutate(); }}>
            Regenerate URL
          </button>
        )}
        {left.includes('signingSecret') && (
          <button type="button" onClick={() => onChange({ ...trigger, signingSecret: newSigningSecret() })}>Set a new signing secret</button>
        )}
      </div>
      {regenerate.isError && <p className="error" role="alert">{errorMessage(regenerate.error)}</p>}
    </section>
  );
}
