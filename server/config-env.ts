import { ConfigError } from './http/trust-proxy';

// Reading environment variables as a self-hoster writes them. Unset and empty are the same, the
// default: docker-compose passes `PORT: ${PORT}` as an empty string when the shell has none.
// Anything else that cannot be read stops the start naming the variable and the form it takes
// (a mistyped number used to become NaN, 0 or a library's own default without a word).

/** The variable's value, trimmed; undefined when unset or empty. */
export function given(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

// Decimal numbers only: Number() would also take '0x1f', '0b1' and 'Infinity'.
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

export interface NumberForm {
  min: number;
  max?: number;
  /** Fractions refused (or truncated, with `clamp`). */
  whole?: boolean;
  /** Numbers out of range are brought into it instead of refused (settings that always did so). */
  clamp?: boolean;
  /** What the value is, for the message: "a port number from 0 to 65535". */
  form: string;
}

/** A number setting: unset or empty is `fallback`; anything not of `form` is a ConfigError naming the variable. */
export function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, form: NumberForm): number {
  const raw = given(env, name);
  if (raw === undefined) return fallback;
  const n = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (Number.isFinite(n) && form.clamp) {
    const whole = form.whole ? Math.trunc(n) : n;
    return Math.min(form.max ?? Infinity, Math.max(form.min, whole));
  }
  const fits = Number.isFinite(n) && n >= form.min && n <= (form.max ?? Infinity) && (!form.whole || Number.isInteger(n));
  if (!fits) throw new ConfigError(`${name}=${raw} is not ${form.form}; unset or empty means ${fallback}`);
  return n;
}

/**
 * A period between background passes (a sync): 0 turns them off, otherwise a whole number from
 * `min` to `max`. Fractions and huge values used to be taken: 0.05 s hammered Chatwoot, and past
 * 2^31 ms Node fires a timer after 1 ms (thousands of requests a second).
 */
export function periodSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, p: { min: number; max: number; form: string }): number {
  const n = numberSetting(env, name, fallback, { min: 0, max: p.max, whole: true, form: p.form });
  if (n !== 0 && n < p.min) throw new ConfigError(`${name}=${given(env, name)} is not ${p.form}; unset or empty means ${fallback}`);
  return n;
}

const YES = ['1', 'true', 'yes', 'on'];
const NO = ['0', 'false', 'no', 'off'];

/**
 * A yes/no setting: 1, true, yes, on or 0, false, no, off (any case); unset or empty is `fallback`.
 * Anything else stops the start: COMPANION_DEMO=false used to seed the demo (only `0` was no).
 */
export function booleanSetting(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = given(env, name);
  if (raw === undefined) return fallback;
  const value = raw.toLowerCase();
  if (YES.includes(value)) return true;
  if (NO.includes(value)) return false;
  throw new ConfigError(`${name}=${raw} is neither yes (1, true, yes, on) nor no (0, false, no, off); unset or empty means ${fallback ? 'yes' : 'no'}`);
}

/** One of `values` (any case); unset or empty is `fallback`. */
export function choiceSetting<T extends string>(env: NodeJS.ProcessEnv, name: string, values: readonly T[], fallback: T): T {
  const raw = given(env, name);
  if (raw === undefined) return fallback;
  const value = values.find((v) => v === raw.toLowerCase());
  if (!value) throw new ConfigError(`${name}=${raw} is not one of ${values.join(', ')}; unset or empty means ${fallback}`);
  return value;
}
