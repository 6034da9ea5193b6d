import type { ReactNode } from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { expect } from 'vitest';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { serveMessages } from '../../lib/extension/messaging';

// Shared by the options page's component tests: the background's `api` message answered from a
// table of routes, every call recorded; components rendered with a fresh query client.

export interface ApiCall { method: string; path: string; body?: unknown }
type Answer = { status: number; body: unknown };
export type Routes = Record<string, Answer | ((call: ApiCall) => Answer)>;

export function serveApi(routes: Routes) {
  const calls: ApiCall[] = [];
  serveMessages({
    api: async (req) => {
      const call = { method: req.method, path: req.path, ...(req.body === undefined ? {} : { body: req.body }) };
      calls.push(call);
      const route = routes[`${req.method} ${req.path}`];
      if (!route) return { status: 404, body: { error: { code: 'not_found', message: `No route ${req.method} ${req.path}` } } };
      return typeof route === 'function' ? route(call) : route;
    },
  });
  return calls;
}

export function renderWithProviders(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return { client, ...render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>) };
}

export const ok = (body: unknown): Answer => ({ status: 200, body });

/** What the workflow editor reads as it opens, all empty: a test spreads it and adds or overrides routes. */
export const emptyEditorApi: Routes = {
  'GET /fields': ok({ fields: [] }),
  'GET /apps': ok({ apps: [] }),
  'GET /users': ok({ users: [] }),
  'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }),
  'GET /settings/closing-categories': ok({ categories: [] }),
};

/** POST /workflows answered as the server does for a new workflow: the body saved as draft version 1 at `at`. */
export const savedAsDraft = (at: string) => (c: ApiCall): Answer =>
  ok({ id: 'wf_1', ...(c.body as object), status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null });

/** Adds a step of the type labelled `label` from the editor's New step menu. */
export async function addStep(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.selectOptions(screen.getByLabelText('New step'), label);
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

/** The workflow the editor saved (its POST), once it has. */
export async function savedWorkflow(calls: ApiCall[]) {
  await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
  return calls.find((c) => c.method === 'POST')!.body as { steps: { type: string; config: Record<string, unknown> }[] };
}
