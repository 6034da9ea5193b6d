import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import { Field } from './Field';
import { useWhatsAppTemplates } from './queries';

interface Props {
  name: string;
  language: string;
  parameterCount: number;
  onPick(template: WhatsAppTemplate): void;
}

const optionValue = (channelId: string, t: WhatsAppTemplate) => `${channelId} ${t.name} ${t.language}`;

/**
 * Picks a template from the connected WhatsApp numbers' Business Accounts (as respond.io and
 * Chatwoot list them), instead of typing its name and language; the fields stay editable for a
 * template Meta could not list. Templates a workflow cannot send are shown, disabled, with why.
 */
export function WhatsAppTemplatePicker({ name, language, parameterCount, onPick }: Props) {
  const query = useWhatsAppTemplates();
  // A template approved in WhatsApp Manager a minute ago: the list is kept 5 minutes, so ask again.
  const reload = <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>{query.isFetching ? 'Reading templates…' : 'Reload templates'}</button>;
  if (query.isPending) return <p className="hint" role="status">Reading your WhatsApp templates…</p>;
  if (query.isError) return <p className="hint">The WhatsApp templates could not be listed: {query.error.message} {reload}</p>;
  const accounts = query.data;
  if (accounts.length === 0) return <p className="hint">Connect a WhatsApp number (Settings → Channels) to pick from its approved templates.</p>;
  const current = accounts.flatMap((a) => a.templates.filter((t) => t.name === name && t.language === language).map((t) => ({ a, t })))[0];
  const byValue = new Map(accounts.flatMap((a) => a.templates.map((t) => [optionValue(a.channel.id, t), t] as const)));
  return (
    <>
      <Field label="Pick a template" hint={current ? undefined : 'Or type its name and language below'}>
        {(p) => (
          <select {...p} value={current ? optionValue(current.a.channel.id, current.t) : ''} onChange={(e) => { const t = byValue.get(e.target.value); if (t) onPick(t); }}>
            <option value="">{current ? '' : 'Choose an approved template…'}</option>
            {accounts.map((a) => (
              <optgroup key={a.channel.id} label={a.channel.name}>
                {a.templates.map((t) => (
                  <option key={optionValue(a.channel.id, t)} value={optionValue(a.channel.id, t)} disabled={t.notSendable !== null}>
                    {`${t.name} (${t.language})${t.notSendable ? ` — ${t.notSendable}` : ''}`}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </Field>
      {reload}
      {accounts.filter((a) => a.error).map((a) => <p key={a.channel.id} className="error" role="alert">{a.channel.name}: {a.error}</p>)}
      {current?.t.body && (
        <p className="hint" data-testid="template-body">
          {current.t.body}
          {current.t.parameterCount !== parameterCount && ` (it takes ${current.t.parameterCount} parameter${current.t.parameterCount === 1 ? '' : 's'}; ${parameterCount} ${parameterCount === 1 ? 'is' : 'are'} set below)`}
        </p>
      )}
    </>
  );
}
