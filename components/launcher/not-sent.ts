import type { LaunchOutcome } from '../../lib/extension/protocol';

type Failure = Extract<LaunchOutcome, { ok: false }>;

/**
 * What the "not sent" toast says: what happened, once, then what to do. The background's own
 * message already says the server could not be reached and that nothing started; repeating it
 * in other words made the toast read twice.
 */
export function notSentText(outcome: Failure): { what: string; todo: string } {
  switch (outcome.kind) {
    case 'unreachable':
      return {
        what: 'the companion server cannot be reached, so nothing was started.',
        todo: 'Check your connection and try again; this note goes away when the server is back.',
      };
    case 'unavailable':
      // Unpublished or removed by an admin: trying again cannot work, so no "try again".
      return { what: sentence(outcome.message), todo: 'It is off your shortcuts menu now; ask an admin if you still need it.' };
    case 'forbidden':
      return { what: sentence(outcome.message), todo: 'Ask a supervisor if you need this shortcut.' };
    default:
      return { what: sentence(outcome.message), todo: 'Nothing was started; try again, or tell your admin if it keeps failing.' };
  }
}

function sentence(text: string): string {
  const trimmed = text.trim().replace(/[.;:,]+$/, '');
  return `${trimmed.charAt(0).toLowerCase()}${trimmed.slice(1)}.`;
}
