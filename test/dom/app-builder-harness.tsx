import { screen, within } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { AppManifestBody } from '../../lib/contracts/apps';
import { ok, serveApi, type ApiCall } from './options-harness';

// The app builder's DOM tests: the apps API answered as the server answers it (a body the
// manifest contract refuses is a 422 with the server's details; a taken key a 409), and the
// builder's parts found as a person finds them (sections by heading, rows by their legend).

export type User = ReturnType<typeof userEvent.setup>;
type Answer = { status: number; body: unknown };
const at = '2025-01-01T00:00:00.000Z';

export const refusal = (status: number, code: string, message: string, details?: { path: string; message: string }[]): Answer =>
  ({ status, body: { error: { code, message, ...(details ? { details } : {}) } } });

/** Registered apps (`app_1`, …) and what each call sent; `put` answers are used up first, then PUTs succeed. */
export function serveApps(opts: { manifests?: Record<string, unknown>[]; put?: Answer[] } = {}) {
  const apps = (opts.manifests ?? []).map((manifest, i) => ({ id: `app_${i + 1}`, key: manifest.key, manifest, createdAt: at, installation: null }));
  const checked = (body: unknown): Answer | undefined => {
    const parsed = AppManifestBody.safeParse(body);
    if (parsed.success) return undefined;
    const details = parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message }));
    return refusal(422, 'invalid_content', `The body is invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  };
  const routes: Record<string, (c: ApiCall) => Answer> = {
    'GET /apps': () => ok({ apps }),
    'POST /apps': (c) => {
      const bad = checked(c.body);
      if (bad) return bad;
      const manifest = AppManifestBody.parse(c.body);
      if (apps.some((a) => a.key === manifest.key)) return refusal(409, 'conflict', `An app with the key "${manifest.key}" is already registered`);
      const app = { id: `app_${apps.length + 1}`, key: manifest.key, manifest, createdAt: at, installation: null };
      apps.push(app);
      return { status: 201, body: { app, signingSecret: 'whsec_once' } };
    },
  };
  apps.forEach((app, i) => {
    routes[`PUT /apps/${app.id}`] = (c) => {
      const bad = checked(c.body);
      if (bad) return bad;
      const answer = opts.put?.shift();
      if (answer) return answer;
      apps[i] = { ...app, manifest: AppManifestBody.parse(c.body) };
      return ok(apps[i]);
    };
  });
  return serveApi(routes);
}

export const sent = (calls: ApiCall[], method: 'POST' | 'PUT') => calls.filter((c) => c.method === method && c.path.startsWith('/apps')).map((c) => c.body);

/** A section of the builder by its heading: "App info", "API scopes", "Auth inputs", "App fields", "Triggers", "Actions". */
export const section = (name: string, root: HTMLElement = document.body) => within(within(root).getByRole('region', { name }));
/** A row by its legend ("Field 2", "Trigger 1", "Item 3"), inside `scope`. */
export const row = (scope: ReturnType<typeof within>, name: string) => within(scope.getByRole('group', { name }));

/** Replaces an input's text by typing, as a person does. */
export async function fill(user: User, input: HTMLElement, text: string) {
  await user.clear(input);
  if (text) await user.type(input, text.replace(/[{[]/g, (c) => c + c));
}

/** The message shown at an input (its aria-describedby error), if any. */
export function errorAt(input: HTMLElement): string | undefined {
  if (input.getAttribute('aria-invalid') !== 'true') return undefined;
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ') || undefined;
}

/** Opens the register panel's builder. */
export async function openRegister(user: User) {
  await user.click(await screen.findByText('Register an app from its manifest'));
  return screen.getByRole('button', { name: 'Register app' });
}
