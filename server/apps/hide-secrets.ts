import type { AuthInput, AuthValues } from '../../lib/contracts/apps';

const HIDDEN = '[redacted]';
/** Shorter values would mask ordinary words and numbers of a message; a token is longer. */
const MIN_HIDDEN = 4;

/** The installation's values of its `secret` auth inputs, as they are sent. */
export function secretAuthValues(inputs: readonly AuthInput[], values: AuthValues): string[] {
  return inputs.filter((i) => i.type === 'secret').map((i) => values[i.key])
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= MIN_HIDDEN);
}

type Shown = { notes: string[]; error?: string; response?: string; location?: string };

/**
 * An action's result with the secret auth values masked wherever a run log would show them: in
 * the URL its error names (`…/v1/{{auth.apiToken}}/refunds`), and in the app's answer should it
 * quote what it was sent. outbound/excerpt.ts masks sent header values; a secret may be anywhere.
 */
export function hideSecrets<T extends Shown>(result: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return result;
  const hide = (text: string) => hideValues(text, secrets);
  return {
    ...result,
    notes: result.notes.map(hide),
    ...(result.error !== undefined ? { error: hide(result.error) } : {}),
    ...(result.response !== undefined ? { response: hide(result.response) } : {}),
    ...(result.location !== undefined ? { location: hide(result.location) } : {}),
  };
}

/** `text` with each of `secrets` (at least 4 characters) masked. */
export function hideValues(text: string, secrets: readonly string[]): string {
  // Longest first, so a secret inside a longer one cannot leave part of it.
  const ordered = [...new Set(secrets)].filter((s) => s.length >= MIN_HIDDEN).sort((a, b) => b.length - a.length);
  return ordered.reduce((t, s) => t.split(s).join(HIDDEN), text);
}
