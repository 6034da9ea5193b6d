import { Fragment } from 'react';
import type { UserChanged } from '../../lib/contracts/users';

type Failed = NonNullable<UserChanged['chatwootUnassignFailed']>[number];

const conversations = (n: number) => (n === 1 ? '1 Chatwoot conversation is' : `${n} Chatwoot conversations are`);

/** "#12", linked to where Chatwoot's dashboard opens it when the server said (`url`). */
function Numbered({ failed }: { failed: Failed }) {
  const label = `#${failed.chatwootConversationId ?? failed.conversationId}`;
  if (!failed.url) return <>{label}</>;
  return <a href={failed.url} target="_blank" rel="noreferrer" title={failed.reason}>{label}</a>;
}

/**
 * After a deactivation, the Chatwoot conversations that are still the user's in Chatwoot: those
 * Chatwoot put off (busy, down) are unassigned there by the next sync, with nothing to do; those it
 * refused the admin unassigns there by hand, each linked (as Chatwoot's own agent removal would
 * have left none assigned). The answer listed them, but the page said only how many were unassigned.
 */
export function ChatwootUnassignNote({ name, failed }: { name: string; failed: readonly Failed[] }) {
  const later = failed.filter((f) => f.retrying === true);
  const refused = failed.filter((f) => f.retrying !== true);
  const reasons = [...new Set(refused.map((f) => f.reason))];
  const them = refused.length === 1 ? 'it' : 'them';
  return (
    <>
      {later.length > 0 && (
        <span data-testid="chatwoot-unassign-later">
          {' '}{conversations(later.length)} still {name}’s in Chatwoot, which was busy or unreachable: {later.length === 1 ? 'it is' : 'they are'} unassigned
          there at the next sync (Sync now, in the Chatwoot section below, does it at once).
        </span>
      )}
      {refused.length > 0 && (
        <span data-testid="chatwoot-unassign-refused">
          {' '}{conversations(refused.length)} still {name}’s in Chatwoot, which refused to unassign {them}: unassign {them} in Chatwoot by hand:{' '}
          {refused.map((f, i) => <Fragment key={f.conversationId}>{i > 0 && ', '}<Numbered failed={f} /></Fragment>)}.
          {' '}Chatwoot said: {reasons.join('; ')}
        </span>
      )}
    </>
  );
}
