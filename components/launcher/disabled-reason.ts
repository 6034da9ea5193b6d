import type { ConnectionState } from '../../lib/extension/protocol';
import type { ShortcutList } from '../../lib/contracts/shortcuts';
import type { PageUser } from '../../lib/extension/adapters/types';
import { seatMismatch } from './seat';

export interface LauncherData {
  connection: ConnectionState | null;
  list: (ShortcutList & { stale: boolean }) | null;
  /** The background did not answer at all. */
  failure: string | null;
}

/**
 * Why the launcher cannot be used right now, in words for its tooltip; null when it can.
 * `here`: who the inbox page says is signed in (see seat.ts), when it says; `seatRemedy`: what to
 * do when that is someone else (seat.ts's default: reconnect the extension).
 */
export function disabledReason(data: LauncherData, conversationId: string | null, here: PageUser | null = null, seatRemedy?: string): string | null {
  const { connection, list } = data;
  if (data.failure && !list) return `Shortcuts are unavailable: ${data.failure}`;
  if (connection?.state === 'disconnected') return 'Not connected: click the Inbox Companion icon and connect to your server.';
  if (connection?.state === 'unauthorized') return 'The server refused the extension\'s token: reconnect from the Inbox Companion icon.';
  const seat = seatMismatch(connection && 'me' in connection ? connection.me : null, here, seatRemedy);
  if (seat) return seat;
  if (!list) return 'Loading shortcuts…';
  if (!list.allowed) return list.reason?.trim() || 'A supervisor has turned shortcuts off for you.';
  if (list.shortcuts.length === 0) {
    return connection?.state === 'unreachable'
      ? 'The server cannot be reached and no shortcuts are saved on this computer.'
      : 'No shortcuts are published yet.';
  }
  if (!conversationId) return 'Open a conversation to use shortcuts.';
  return null;
}
