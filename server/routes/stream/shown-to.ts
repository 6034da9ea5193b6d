import type { LiveMessage } from '../../../lib/contracts/events';
import type { Principal } from '../../auth/principal';
import { mayReadRun } from '../../engine/workflows/launched-by';
import { errorAsReadBy } from '../../engine/workflows/run-as-read';

/**
 * A live message as one stream's reader may see it. A run's error may quote a third party's
 * answer (an HTTP step's response body): it goes only to those who may read the run, as
 * GET /runs/:id decides (admins, supervisors, and the agent who launched it). Everyone else still hears that
 * the run changed (the launcher refreshes what a conversation waits on), without the error.
 * `launchedBy` is for this routing and is never sent. Null: not for this reader at all. An agent reads the error as GET /runs/:id
 * gives it them (run-as-read.ts): the launcher's toast shows whichever came last.
 */
export function shownTo(message: LiveMessage, reader: Principal | null): LiveMessage | null {
  // What one user has read is theirs: their other tabs follow it, nobody else hears of it.
  if (message.type === 'conversation.seen') return reader?.kind === 'user' && reader.user.id === message.userId ? message : null;
  if (message.type !== 'run.updated') return message;
  const { launchedBy, error, ...rest } = message;
  const user = reader?.kind === 'user' ? reader.user : undefined;
  const mayRead = user !== undefined && mayReadRun(user, launchedBy);
  return mayRead && error !== undefined ? { ...rest, error: error && errorAsReadBy(error, user) } : rest;
}
