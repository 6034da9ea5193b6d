import { APP_INSTALLATION_HEADER, type AppAction } from '../../lib/contracts/apps';
import { callAndMap, type Cancellation, type CallResult } from '../outbound/call';
import type { RetryOptions } from '../outbound/retry';
import { newId } from '../ids';
import { signHeaders } from '../signing/standard-webhooks';
import { fromJson, type Executor } from '../store/database';
import { hideSecrets, secretAuthValues } from './hide-secrets';
import { renderActionRequest, type RenderedRequest } from './render-request';
import type { Vault } from '../secrets/vault';
import { appSigningSecrets, findAppRow, findInstalledApp, refuseForgotten } from './store';
import { APP_USER_AGENT } from './subscribe-request';

export interface PreparedAction {
  appId: string;
  /** Sent as APP_INSTALLATION_HEADER: which installation is calling. */
  installationId: string;
  action: AppAction;
  request: RenderedRequest;
  timeoutMs: number;
  /** The values of the app's `secret` auth inputs: masked in what the run log shows (hide-secrets.ts). */
  secrets: string[];
}

/** Why an action cannot be sent at all (not installed, unknown action, a required input empty). */
export class ActionNotRunnable extends Error {
  override name = 'ActionNotRunnable';
}

/**
 * Resolves `appId` + `actionKey` to the installed app's packaged request filled with the
 * installation's auth values and the step's inputs (already rendered with the run's templates).
 */
export async function prepareAppAction(db: Executor, vault: Vault, input: { appId: string; actionKey: string; inputs: Record<string, string> }): Promise<PreparedAction> {
  const installed = await findInstalledApp(db, vault, input.appId);
  if (!installed) throw new ActionNotRunnable(await notInstalled(db, input.appId));
  try {
    refuseForgotten(installed.app);
  } catch (err) {
    throw new ActionNotRunnable((err as Error).message);
  }
  const { manifest } = installed.app;
  const action = manifest.actions.find((a) => a.key === input.actionKey);
  if (!action) {
    throw new ActionNotRunnable(`The app "${manifest.name}" has no action "${input.actionKey}"; its actions: ${manifest.actions.map((a) => a.key).join(', ') || 'none'}`);
  }
  const known = new Set(action.inputs.map((i) => i.key));
  const unknown = Object.keys(input.inputs).filter((k) => !known.has(k));
  if (unknown.length) throw new ActionNotRunnable(`The action "${action.key}" has no input(s) ${unknown.join(', ')}`);
  const empty = action.inputs.filter((i) => i.required && (input.inputs[i.key] ?? '').trim() === '');
  if (empty.length) throw new ActionNotRunnable(`Required input(s) of "${action.key}" are empty: ${empty.map((i) => i.label).join(', ')}`);
  const request = renderActionRequest(action.request, { auth: installed.installation.authValues, input: input.inputs });
  if (request.refused) throw new ActionNotRunnable(`The action "${action.key}" was not called: ${request.refused}`);
  return { appId: input.appId, installationId: installed.installation.id, action, request, timeoutMs: action.request.timeoutMs, secrets: secretAuthValues(manifest.authInputs, installed.installation.authValues) };
}

/** Why the app cannot be called, naming it as the admin knows it (an id says nothing in a run log). */
async function notInstalled(db: Executor, appId: string): Promise<string> {
  const row = await findAppRow(db, appId);
  if (!row) return `The app ${appId} no longer exists (it was deleted); remove this step or choose another app`;
  const name = fromJson<{ name?: string }>(row.manifest, {}).name ?? appId;
  return `The app "${name}" is not installed; install it again, or remove this step from the workflow`;
}

const INSTALLATION_HEADER = APP_INSTALLATION_HEADER.toLowerCase();

/** What an action call came to (the outbound call's result, without the raw body). */
export type ActionResult = Omit<CallResult, 'bodyText'>;

export interface SendOptions {
  /** Opens the app's sealed signing secret. */
  vault: Vault;
  allowPrivateUrls: string[];
  idempotencyKey?: string;
  retry?: Pick<RetryOptions, 'sleep' | 'baseDelayMs'>;
  /** The run's cancel: drops the request in flight and starts no further attempt. */
  cancellation?: Cancellation;
}

/**
 * Sends a prepared action with the same outbound safety, redirects and quick attempts as
 * `http_request` (server/outbound/call.ts): private addresses refused unless allow-listed, at
 * most 3 attempts within the action's timeout, a POST or PATCH sent again only when the app did
 * not act (429, 503, no connection). Each attempt is signed with the app's Standard Webhooks secret (same webhook-id), so the
 * app's server knows the request is ours; the secret is read per attempt, so a retry after a
 * rotation carries the new one (and the previous one while they overlap). Never throws: a failure comes back as `error`.
 */
export async function sendAppAction(db: Executor, prepared: PreparedAction, options: SendOptions): Promise<ActionResult> {
  const { request, action } = prepared;
  const notes = request.missing.length ? [`No value for ${request.missing.join(', ')}`] : [];
  for (const name of request.cleanedHeaders) notes.push(`Header ${name}: line breaks and control characters removed from the rendered value`);
  const messageId = newId('msg');
  const base: Record<string, string> = {
    // The app may not name the installation itself: a manifest's header of that name (any case) is dropped.
    ...Object.fromEntries(Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== INSTALLATION_HEADER)),
    'user-agent': APP_USER_AGENT,
    [INSTALLATION_HEADER]: prepared.installationId,
    ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
  };
  const result = await callAndMap(
    { method: request.method, url: request.url, headers: base, body: request.body, timeoutMs: prepared.timeoutMs },
    {
      allowList: options.allowPrivateUrls, mappings: action.outputs, notes,
      prepare: async (_attempt, input) => {
        const secrets = await appSigningSecrets(db, options.vault, prepared.appId);
        return secrets.length ? { ...input, headers: { ...base, ...signHeaders(secrets, { id: messageId, timestamp: new Date(), body: request.body ?? '' }) } } : input;
      },
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.cancellation ? { cancellation: options.cancellation } : {}),
      // Masked with what the request carried before the answer is cut: a secret across the cut leaves no part.
      secrets: prepared.secrets,
    },
  );
  const { bodyText, said, ...outcome } = result;
  const location = result.location !== undefined ? ` (Location: ${result.location})` : '';
  const error = result.error ? `${request.method} ${request.url}: ${result.error}`
    : !result.ok ? `${request.method} ${request.url} answered HTTP ${result.status}${location}: ${said ?? '(empty body)'}`
    : undefined;
  return hideSecrets(error === undefined ? outcome : { ...outcome, error }, prepared.secrets);
}
