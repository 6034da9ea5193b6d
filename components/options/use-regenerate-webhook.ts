import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { request } from './api';
import { keys } from './queries';

// POST /workflows/:id/webhook/regenerate (server/routes/hooks/admin.ts).
const Regenerated = z.object({ url: z.string() });

/**
 * A new webhook URL for the workflow (the old one stops working), handed to `onUrl` for the
 * draft; the workflow and the list are read again, as what they flagged unreadable may be gone.
 */
export function useRegenerateWebhookUrl(workflowId: string, onUrl: (url: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request(Regenerated, 'POST', `/workflows/${encodeURIComponent(workflowId)}/webhook/regenerate`),
    onSuccess: ({ url }) => {
      onUrl(url);
      void client.invalidateQueries({ queryKey: keys.workflow(workflowId) });
      void client.invalidateQueries({ queryKey: keys.workflows, exact: true });
    },
  });
}
