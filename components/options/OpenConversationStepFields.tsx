import { useQuery } from '@tanstack/react-query';
import { ChannelList } from '../../lib/contracts/channels';
import { OPEN_ON_BUILT_IN, OPEN_ON_LAST } from '../../lib/contracts/steps';
import { request } from './api';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { keys } from './queries';

/**
 * Where Open conversation puts the contact's conversation: by default the channel they last wrote
 * on; a WhatsApp number reaches any contact with a phone (send an approved template next: the
 * customer has not written, so only a template goes); a Page only people who wrote to it.
 */
export function OpenConversationStepFields({ config, onChange, path }: StepEditorProps<'open_conversation'>) {
  const channels = useQuery({ queryKey: keys.channels, queryFn: () => request(ChannelList, 'GET', '/channels') });
  const list = channels.data?.channels ?? [];
  const value = config.channel ?? OPEN_ON_LAST;
  const unknown = value !== OPEN_ON_LAST && value !== OPEN_ON_BUILT_IN && channels.isSuccess && !list.some((c) => c.id === value);
  return (
    <Field label="Channel" path={`${path}.channel`}
      hint="Opens a conversation for the contact if none is open; one already open moves to a number or Page chosen here. A WhatsApp number reaches a contact who never wrote through their phone: send an approved template next.">
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange({ ...config, channel: e.target.value === OPEN_ON_LAST ? undefined : e.target.value })}>
          <option value={OPEN_ON_LAST}>The contact’s last channel (the built-in inbox if none)</option>
          <option value={OPEN_ON_BUILT_IN}>The built-in inbox</option>
          {list.filter((c) => c.kind === 'whatsapp').map((c) => (
            <option key={c.id} value={c.id}>WhatsApp: {c.name}{c.displayName ? ` (${c.displayName})` : ''}</option>
          ))}
          {list.filter((c) => c.kind === 'messenger').map((c) => (
            <option key={c.id} value={c.id}>Messenger: {c.name} (only contacts who wrote to the Page)</option>
          ))}
          {unknown && <option value={value}>A channel that is not connected any more ({value})</option>}
        </select>
      )}
    </Field>
  );
}
