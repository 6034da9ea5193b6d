import { decodeTime } from 'ulid';

/** A tuning knob from the environment: a number ≥ 0, else the default (garbage must not become NaN delays). */
export const knob = (raw: string | undefined, fallback: number): number => {
  const n = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** Runs advanced together (COMPANION_RUN_BATCH): a whole number ≥ 1; garbage is the default, 64. */
export const runBatch = (raw: string | undefined): number => Math.max(1, Math.floor(knob(raw, 64)));

/** After a round, while deliveries queue up, the executor rests this many times the round's length (about a quarter of the loop). */
export const BUSY_REST = knob(process.env.COMPANION_BUSY_REST, 3);
/** …or this many times while the round's runs are a burst's (about a thirteenth). */
export const BURST_REST = knob(process.env.COMPANION_BURST_REST, 12);

/**
 * How long the worker rests after a round, in multiples of the round's length. Runs queued less
 * than `burstMs` ago are a burst's: their senders are still waiting for 202s, the runs only a
 * little longer (the same work, done once the burst is over), so acknowledgements get most of
 * the loop. Older runs mean a sustained flood: the executor takes its usual share, and the
 * backlog keeps moving.
 */
export function restFactor(runIds: readonly string[], now: number, burstMs: number): number {
  if (burstMs <= 0 || runIds.length === 0) return BUSY_REST;
  return now - queuedAt(runIds) < burstMs ? BURST_REST : BUSY_REST;
}

/** When the oldest of these runs was queued: run ids are ULIDs and carry the millisecond (0 if one is not). */
function queuedAt(runIds: readonly string[]): number {
  let oldest = runIds[0]!;
  for (const id of runIds) if (id < oldest) oldest = id;
  try {
    return decodeTime(oldest.slice(oldest.indexOf('_') + 1));
  } catch {
    return 0;
  }
}
