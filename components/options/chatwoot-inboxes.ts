import { useQuery } from '@tanstack/react-query';
import { ChatwootInboxList } from '../../lib/contracts/chatwoot';
import { request } from './api';

/** The connected Chatwoot accounts' inboxes, as Chatwoot lists them now (trigger rules on an inbox). */
export const useChatwootInboxes = () =>
  useQuery({ queryKey: ['chatwoot', 'inboxes'], queryFn: () => request(ChatwootInboxList, 'GET', '/chatwoot/inboxes'), staleTime: 60_000 });
