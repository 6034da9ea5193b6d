import type { UserChanged } from '../../lib/contracts/users';

type Failed = NonNullable<UserChanged['chatwootUnassignFailed']>[number];

const conversations = (n: number) => (n === 1 ? '1 Chatwoot conversation is' : `${n} Chatwoot conversations are`);

/** "#12", linked to where Chatwoot's dashboard opens it when the server said (`url`). */
function Numbered({ failed }: { failed: Failed }) {
  const label = `#${failed.chatwootConversationId ?? failed.conversationId}`;
  if (!failed.url) return <>{label}</>;
  return <a href={failed.url} target="_blank" rel="noreferrer">{label}</a>;
}

/**
 * After a deactivation, the Chatwoot conversations that are still the user's in Chatwoot (the
 * answer's `chatwootUnassignFailed`; the page said only how many were unassigned, so the admin took
 * them for free there too). Those Chatwoot put off (busy, down) the next sync unassigns, with
 * nothing to do; those it refused the admin unassigns there by hand: each linked, with its answer.
 */
export function ChatwootUnassignNote({ name, failed }: { name: string; failed: readonly Failed[] }) {
  const later = failed.filter((f) => f.retrying === true);
  // An older server says nothing of retrying: it did not try again, so those are the admin's too.
  const refused = failed.filter((f) => f.retrying !== true);
  const them = refused.length === 1 ? 'it' : 'them';
  return (
    <>
      {later.length > 0 && (
        <p className="more" data-testid="chatwoot-unassign-later">
          {conversations(later.length)} still {name}’s in Chatwoot, which was busy or unreachable: {later.length === 1 ? 'it is' : 'they are'} unassigned
          there at the next sync (Sync now, in the Chatwoot section below, does it at once).
        </p>
      )}
      {refused.length > 0 && (
        <>
          <p className="more" data-testid="chatwoot-unassign-refused">
            {conversations(refused.length)} still {name}’s in Chatwoot, which refused to unassign {them}: unassign {them} in Chatwoot by hand.
          </p>
          <ul className="more" aria-label="Still assigned in Chatwoot">
            {refused.map((f) => <li key={f.conversationId}><Numbered failed={f} />: {f.reason}</li>)}
          </ul>
        </>
      )}
    </>
  );
}
