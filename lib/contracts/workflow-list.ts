import { z } from 'zod';
import { decodedCursor, listQuery, pageLimit } from './list-query';
import { TriggerType } from './triggers';
import { WorkflowStatus } from './workflow';

// GET /workflows pages as GET /contacts does (`limit`, `cursor`, `nextCursor`), by name as people
// read names (lib/workflow/name-order.ts: any case, numbers by value, the request's
// Accept-Language), then id. A cursor names the page's last row by name and id, so a workflow
// deleted or added meanwhile never makes the next page start over or skip one.

/** Where a page of workflows ends. */
export interface WorkflowCursor { name: string; id: string }

// The name is base64url (UTF-8): a name with "&", "+", "#" or a space, sent back unencoded in a
// query string, would come back as another name and page from the wrong place.
const toBase64Url = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
  .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
function fromBase64Url(text: string): string | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

const CURSOR_SHAPE = /^([A-Za-z0-9_-]{1,540})~(wf_[0-9A-Za-z]{1,60})$/;
export const encodeWorkflowCursor = (c: WorkflowCursor): string => `${toBase64Url(c.name)}~${c.id}`;
/** Null unless the server could have written it (its name encoded exactly so, 100 characters at most). */
export function decodeWorkflowCursor(cursor: string): WorkflowCursor | null {
  const match = CURSOR_SHAPE.exec(cursor);
  const name = match ? fromBase64Url(match[1]!) : null;
  if (name === null || name.length > 100 || toBase64Url(name) !== match![1]) return null;
  return { name, id: match![2]! };
}

/**
 * GET /workflows: a page by name (50 unless `limit` says, up to 200); `cursor` is the `nextCursor`
 * of the page before. `q`, `status` and `trigger` narrow it (all given: all must hold), as the
 * options page's search box and filters do; `total` counts every workflow they match.
 */
export const WorkflowListQuery = listQuery({
  // Trimmed: a space typed before or after the name still finds it; empty is no search.
  q: z.string().trim().max(100, 'Search with at most 100 characters (a name has no more)').optional()
    .describe('Part of the name in any case, every letter\'s ("refund" finds "Refunds (EU)", "ünï" finds "ÜNÏCODE"); accents count ("e" does not find "é"); "%" and "_" match themselves'),
  status: WorkflowStatus.optional().describe('Only the published, or only the draft, workflows'),
  trigger: TriggerType.optional().describe('Only the workflows of this trigger type (`trigger.type`: shortcut, incoming_webhook…)'),
  limit: pageLimit(50),
  // A name of 100 characters of up to 4 bytes each is 534 characters of base64url.
  cursor: decodedCursor(decodeWorkflowCursor, 620).optional().describe('The `nextCursor` of the page before, as it was answered'),
});
export type WorkflowListQuery = z.infer<typeof WorkflowListQuery>;
