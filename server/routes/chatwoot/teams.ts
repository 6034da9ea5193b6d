import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ChatwootTeamList } from '../../../lib/contracts/chatwoot-teams';
import { apiFor, listConnections } from '../../connectors/chatwoot/connections';

/** /api/v1/chatwoot/teams: what an Assign to step may hand a conversation to (admin, as the builder is). */
export const chatwootTeamRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  app.get('/chatwoot/teams', {
    config: { access: { role: 'admin' } },
    schema: { tags: ['chatwoot'], summary: 'The teams of the connected Chatwoot accounts, read from Chatwoot now (Assign to a team chooses among them)', response: { 200: ChatwootTeamList } },
  }, async () => {
    const list: ChatwootTeamList = { teams: [], errors: [] };
    for (const c of await listConnections(services, services.db)) {
      try {
        for (const t of await apiFor(services, c).teams()) list.teams.push({ connectionId: c.row.id, account: c.row.name, id: t.id, name: t.name });
      } catch (err) {
        // One account out of reach leaves the others' teams listed, and says why.
        list.errors.push({ connectionId: c.row.id, account: c.row.name, message: (err as Error).message });
      }
    }
    return list;
  });
};
