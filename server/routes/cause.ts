import type { FastifyRequest } from 'fastify';
import type { Cause } from '../domain/contacts';

/** The event source of a change made through the API: a person is `user`, an app or script `api`. */
export function causeOf(req: FastifyRequest, stated?: string): Cause {
  if (req.principal?.kind === 'user' && !stated) return { source: 'user' };
  return { source: stated ?? 'api' };
}
