import type { Services } from './services';

/** The longest delay Node's timers take: past it they fire after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Runs `pass` every `everyMs` (≤ 0: never), counted from the end of the one before: a pass that
 * takes longer than the period (a slow Chatwoot, many ad accounts) is neither overlapped by the
 * next nor followed by it at once, as setInterval did. A period longer than Node's timers allow is
 * waited in pieces. Closing the server stops it; a pass in flight ends on its own.
 */
export function repeatAfterEach(services: Pick<Services, 'onClose'>, everyMs: number, pass: () => Promise<void>, onError: (err: unknown) => void): void {
  if (!(everyMs > 0)) return;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const wait = (ms: number) => {
    if (stopped) return;
    const piece = Math.min(ms, MAX_TIMER_MS);
    timer = setTimeout(() => (ms > piece ? wait(ms - piece) : run()), piece);
    timer.unref();
  };
  const run = () => {
    // The next wait starts when this pass has ended, however it ended.
    void pass().catch(onError).finally(() => wait(everyMs));
  };
  wait(everyMs);
  services.onClose(() => { stopped = true; clearTimeout(timer); });
}
