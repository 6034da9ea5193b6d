import { useCallback, useState } from 'react';
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { keys } from './queries';
import { allWorkflows, localPage, NO_FILTERS, serverPage, WorkflowFilters, type PageParam } from './workflow-pages';

/** An older server's whole list is read once for the pages "Load more" then adds from it. */
const WHOLE_LIST_FRESH_MS = 30_000;

/** The list's query key: the search as sent (trimmed), so "foo" and "foo " are one entry and one request. */
export const workflowListKey = (filters: WorkflowFilters) => [...keys.workflows, 'list', { ...filters, q: filters.q.trim() }] as const;

/**
 * The Workflows list, searched and filtered by the server, a page at a time. Under `keys.workflows`,
 * so a publish, delete or import refetches the pages shown. Changing the search keeps the rows
 * shown until the new ones come (no flash of "Loading…" at each key typed).
 */
export function useWorkflowList(typed: WorkflowFilters) {
  const client = useQueryClient();
  const filters = { ...typed, q: typed.q.trim() };
  return useInfiniteQuery({
    queryKey: workflowListKey(filters),
    initialPageParam: null as PageParam | null,
    queryFn: async ({ pageParam }) => {
      if (!pageParam || 'cursor' in pageParam) {
        const page = await serverPage(filters, pageParam?.cursor);
        if (page) return page;
      }
      const { workflows } = await client.fetchQuery({ queryKey: keys.workflows, queryFn: allWorkflows, staleTime: WHOLE_LIST_FRESH_MS });
      return localPage(workflows, filters, pageParam && 'offset' in pageParam ? pageParam.offset : 0);
    },
    getNextPageParam: (last) => last.next,
    placeholderData: keepPreviousData,
  });
}

const FILTERS_KEY = 'inboxCompanion.workflowFilters';

/**
 * The list's search and filters, kept for this tab's session (as n8n keeps them in the address):
 * opening a workflow from a search and coming back shows the same search, not all 800 again.
 */
export function useSavedWorkflowFilters(): [WorkflowFilters, (filters: WorkflowFilters) => void] {
  const [filters, setFilters] = useState<WorkflowFilters>(() => {
    try {
      return WorkflowFilters.parse(JSON.parse(sessionStorage.getItem(FILTERS_KEY) ?? 'null'));
    } catch {
      return NO_FILTERS;
    }
  });
  const save = useCallback((next: WorkflowFilters) => {
    setFilters(next);
    try { sessionStorage.setItem(FILTERS_KEY, JSON.stringify(next)); } catch { /* storage off: kept until the page closes */ }
  }, []);
  return [filters, save];
}
