import type { AuthInput, AuthValues } from '../../lib/contracts/apps';
import { MIN_MASKED, masked } from '../outbound/mask';

/** The installation's values of its `secret` auth inputs, as they are sent. */
export function secretAuthValues(inputs: readonly AuthInput[], values: AuthValues): string[] {
  return inputs.filter((i) => i.type === 'secret').map((i) => values[i.key])
    .filter((v): v is string => typeof v === 'string' && v.trim().length >= MIN_MASKED);
}

type Shown = { notes: string[]; error?: string; response?: string; location?: string };

/**
 * An action's result with the secret auth values masked wherever a run log would show them: in
 * the URL its error names (`…/v1/{{auth.apiToken}}/refunds`), and in its notes. The app's answer
 * is masked before it is cut (outbound/call.ts `secrets`), so a secret across the cut leaves no part.
 */
export function hideSecrets<T extends Shown>(result: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return result;
  const hide = (text: string) => masked(text, secrets);
  return {
    ...result,
    notes: result.notes.map(hide),
    ...(result.error !== undefined ? { error: hide(result.error) } : {}),
    ...(result.response !== undefined ? { response: hide(result.response) } : {}),
    ...(result.location !== undefined ? { location: hide(result.location) } : {}),
  };
}
