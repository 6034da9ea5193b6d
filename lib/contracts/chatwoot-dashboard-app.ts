import { z } from 'zod';

// What Chatwoot posts to a Dashboard App iframe: `postMessage(JSON.stringify({ event: 'appContext',
// data: { conversation, contact, currentAgent } }), '*')` on the iframe's load, and again when the
// app posts 'chatwoot-dashboard-app:fetch-info' to its parent
// (app/javascript/dashboard/components/widgets/DashboardApp/Frame.vue; FACTS.md §3).
// `conversation` is the dashboard's current chat (the REST conversation JSON: `id` is the display
// id, with `account_id`); only what the page uses is read, the rest passes through.

export const DASHBOARD_APP_FETCH_INFO = 'chatwoot-dashboard-app:fetch-info';

export const DashboardAppContext = z.object({
  event: z.literal('appContext'),
  data: z.object({
    conversation: z.looseObject({
      id: z.number().int().positive(),
      account_id: z.number().int().positive().optional(),
      status: z.string().optional(),
    }),
    contact: z.looseObject({ id: z.number().optional(), name: z.string().nullish() }).nullish(),
    currentAgent: z.looseObject({ id: z.number().optional(), name: z.string().nullish(), email: z.string().nullish() }).nullish(),
  }),
});
export type DashboardAppContext = z.infer<typeof DashboardAppContext>;
