import type { FastifyRequest } from 'fastify';
import type { Cause } from '../domain/contacts';

/**
 * The event source of a change made through the API: a person is `user`, a bot user `bot`, an app
 * or script `api` (or what it states: zapier, make). `by` is the calling user, person or bot.
 */
export function causeOf(req: FastifyRequest, stated?: string): Cause {
  const user = req.principal?.kind === 'user' ? req.principal.user : null;
  const by = user?.id ?? null;
  if (user && !stated) return { source: user.kind === 'bot' ? 'bot' : 'user', by };
  return { source: stated ?? 'api', by };
}
