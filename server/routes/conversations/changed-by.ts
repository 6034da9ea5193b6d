import type { FastifyRequest } from 'fastify';
import type { ChangedBy } from '../../domain/change-lines';

/**
 * The person calling (signed in to the inbox, or with their own API token), as the activity line
 * of a change they make names them; an app key is no one (domain/change-lines.ts).
 */
export function personOf(req: FastifyRequest): Extract<ChangedBy, { type: 'user' }> | undefined {
  const p = req.principal;
  return p?.kind === 'user' ? { type: 'user', id: p.user.id, name: p.user.name } : undefined;
}
