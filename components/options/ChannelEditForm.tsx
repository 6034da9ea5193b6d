import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Channel } from '../../lib/contracts/channels';
import { ApiFailure, errorMessage, request } from './api';
import { keys } from './queries';
import { placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { SecretInput } from './SecretInput';

/** What a channel lets an admin change in place: a token that stopped working, a wrong account id. */
export type ChannelEditField = 'accessToken' | 'businessAccountId';

function wording(channel: Channel, field: ChannelEditField) {
  if (field === 'accessToken') {
    return {
      form: `Replace the token of ${channel.name}`, label: channel.kind === 'whatsapp' ? 'New access token' : 'New Page access token', secret: true, initial: '', submit: 'Save token',
      hint: 'Its conversations stay connected; Meta checks the token before it is kept.',
    };
  }
  return {
    form: `Change the WhatsApp Business Account of ${channel.name}`, label: 'WhatsApp Business Account ID', secret: false, initial: channel.businessAccountId ?? '', submit: 'Save account ID',
    hint: 'The account that holds this number: the app’s WhatsApp → API Setup, or Business settings → Accounts → WhatsApp accounts. Meta checks it before it is kept; its conversations stay connected.',
  };
}

/**
 * A new token for a channel whose token stopped working (or is about to), or the right WhatsApp
 * Business Account id for one connected with a wrong one: checked with Meta by the server before
 * it is kept (its refusal shows on the field); the channel's conversations stay as they are.
 */
export function ChannelEditForm({ channel, field, onDone }: { channel: Channel; field: ChannelEditField; onDone(): void }) {
  const client = useQueryClient();
  const words = wording(channel, field);
  const [value, setValue] = useState(words.initial);
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const save = useMutation({
    mutationFn: (v: string) => request(Channel, 'PATCH', `/channels/${encodeURIComponent(channel.id)}`, { [field]: v }),
    onMutate: () => setServerErrors({}),
    onError: (err) => setServerErrors(placeDetails(err instanceof ApiFailure ? err.details : [], [field]).placed),
    onSuccess: () => { void client.invalidateQueries({ queryKey: keys.channels }); onDone(); },
  });
  // The server's message once: on the field when it says it there, else under the form.
  const refusal = save.error ? { message: errorMessage(save.error), ...placeDetails(save.error instanceof ApiFailure ? save.error.details : [], [field]) } : null;
  return (
    <FieldErrorsContext.Provider value={serverErrors}>
      <form className="inline-form" noValidate aria-label={words.form} onSubmit={(e) => { e.preventDefault(); save.mutate(value); }}>
        <Field label={words.label} path={field} hint={words.hint}>
          {(p) => words.secret
            ? <SecretInput {...p} what={words.label.charAt(0).toLowerCase() + words.label.slice(1)} value={value} onChange={(e) => setValue(e.target.value)} />
            : <input {...p} autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
        <button type="submit" className="primary" disabled={save.isPending || value.trim() === ''}>{save.isPending ? 'Checking with Meta…' : words.submit}</button>
        <button type="button" onClick={onDone}>Cancel</button>
      </form>
      <FormError message={refusal && !Object.values(refusal.placed).includes(refusal.message) ? refusal.message : undefined} details={refusal?.rest} />
    </FieldErrorsContext.Provider>
  );
}
