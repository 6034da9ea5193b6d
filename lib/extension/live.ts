import { LiveMessage } from '../contracts/events';

/** Splits an SSE byte stream into events (the subset the companion sends: `event`, `data`, comments). */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';

  constructor(private readonly onEvent: (event: string, data: string) => void) {}

  push(chunk: string) {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      this.line(line);
    }
  }

  private line(line: string) {
    if (line === '') {
      if (this.data.length > 0) this.onEvent(this.event || 'message', this.data.join('\n'));
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

/** A LiveMessage from one SSE event, whether the type is in the data or only in the event name. */
export function liveMessageOf(event: string, data: string): LiveMessage | undefined {
  let body: unknown;
  try { body = JSON.parse(data); } catch { return undefined; }
  if (body && typeof body === 'object' && !('type' in body) && event !== 'message') body = { type: event, ...body };
  const parsed = LiveMessage.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

export interface LiveStreamOptions {
  url: string;
  onMessage: (m: LiveMessage) => void;
  /** Every (re)connection: events may have been missed while the stream was down. */
  onOpen?: () => void;
  onDown?: (error: string) => void;
  /**
   * The stream answered 401 (token revoked, account deactivated): it is not tried again, since
   * only a new token can help and each attempt would count as a failed sign-in.
   */
  onUnauthorized?: () => void;
  fetch?: typeof fetch;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Server-sent events over `fetch` (MV3 service workers have no EventSource), reconnecting with
 * exponential backoff until stopped.
 */
export function openLiveStream(options: LiveStreamOptions): { stop(): void } {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const controller = new AbortController();
  let delay = minDelay;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const run = async () => {
    if (controller.signal.aborted) return;
    try {
      const response = await doFetch(options.url, { headers: { accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401 && options.onUnauthorized) {
        void response.body?.cancel().catch(() => undefined);
        options.onUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`The event stream answered ${response.status}`);
      delay = minDelay;
      options.onOpen?.();
      const parser = new SseParser((event, data) => {
        const message = liveMessageOf(event, data);
        if (message) options.onMessage(message);
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      throw new Error('The event stream ended');
    } catch (err) {
      if (controller.signal.aborted) return;
      options.onDown?.(err instanceof Error ? err.message : String(err));
      timer = setTimeout(() => void run(), delay);
      delay = Math.min(delay * 2, maxDelay);
    }
  };
  void run();

  return {
    stop() {
      controller.abort();
      if (timer) clearTimeout(timer);
    },
  };
}
