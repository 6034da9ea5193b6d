import { LiveMessage } from '../../lib/contracts/events';

/** An open SSE connection read as a person would: wait for the next frame that matches. */
export interface SseClient {
  status: number;
  headers: Headers;
  /** Everything received so far, raw. */
  text(): string;
  next(type: LiveMessage['type'], timeoutMs?: number): Promise<LiveMessage>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream (or it is closed here). */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  let buffer = '';
  let consumed = 0;
  const waiters = new Set<() => void>();
  let ended: Promise<void> = Promise.resolve();
  if (res.body) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          for (const w of waiters) w();
        }
      } catch { /* aborted */ }
    })();
  }
  const until = (check: () => boolean, what: string, timeoutMs: number) => new Promise<void>((resolve, reject) => {
    const wake = () => { if (check()) { clearTimeout(timer); waiters.delete(wake); resolve(); } };
    const timer = setTimeout(() => { waiters.delete(wake); reject(new Error(`no ${what} within ${timeoutMs} ms; got: ${buffer}`)); }, timeoutMs);
    waiters.add(wake);
    wake();
  });
  return {
    status: res.status,
    headers: res.headers,
    text: () => buffer,
    async next(type, timeoutMs = 5000) {
      let found: LiveMessage | undefined;
      await until(() => {
        const frames = buffer.slice(consumed).split('\n\n');
        let offset = consumed;
        for (const frame of frames.slice(0, -1)) {
          offset += frame.length + 2;
          const event = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event === type && data) {
            found = LiveMessage.parse(JSON.parse(data));
            consumed = offset;
            return true;
          }
        }
        return false;
      }, `"${type}" event`, timeoutMs);
      return found!;
    },
    waitFor: (pattern, timeoutMs = 5000) => until(() => pattern.test(buffer), String(pattern), timeoutMs),
    ended,
    close: () => abort.abort(),
  };
}
