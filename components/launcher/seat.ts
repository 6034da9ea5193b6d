import type { Me } from '../../lib/contracts/users';
import type { PageUser } from '../../lib/extension/adapters/types';

const samePerson = (me: Me, here: PageUser): boolean | null => {
  if (here.id) return here.id === me.user.id;
  if (here.email) return here.email.trim().toLowerCase() === me.user.email.trim().toLowerCase();
  return null;
};

/** What the extension's user does about it; the Dashboard App, which has no extension, says its own. */
export const RECONNECT_EXTENSION = 'reconnect the extension as you from the Inbox Companion icon.';

/**
 * Why the launcher will not act on this page: the extension is connected as someone other than
 * the person signed in to the inbox (a shared workstation). A launch would be recorded as the
 * extension's user and pass that user's shortcut switch, not the agent's, so it waits until
 * the two are the same person. Null when they are, or when the page does not say who it is.
 */
export function seatMismatch(me: Me | null | undefined, here: PageUser | null | undefined, remedy = RECONNECT_EXTENSION): string | null {
  if (!me || !here || samePerson(me, here) !== false) return null;
  const hereName = here.name?.trim() || here.email?.trim() || 'someone else';
  // Two accounts with one name (another server, a duplicate user): the name alone would read as "the same".
  const connectedAs = hereName === me.user.name ? `${me.user.name} (another account, ${me.user.email})` : me.user.name;
  return `Connected as ${connectedAs}, signed in here as ${hereName} — ${remedy}`;
}
