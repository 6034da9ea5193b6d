import { useQuery } from '@tanstack/react-query';
import { ChatwootTeamList } from '../../lib/contracts/chatwoot-teams';
import { request } from './api';

/** The connected Chatwoot accounts' teams, as Chatwoot lists them now (Assign to a team). */
export const useChatwootTeams = () =>
  useQuery({ queryKey: ['chatwoot', 'teams'], queryFn: () => request(ChatwootTeamList, 'GET', '/chatwoot/teams'), staleTime: 60_000 });
