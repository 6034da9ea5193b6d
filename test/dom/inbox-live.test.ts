import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLive } from '../../server/inbox/src/live';

// The built-in inbox's live stream in a DOM: backoff after the browser gives up, and the
// back/forward cache (pagehide/pageshow). jsdom has no EventSource: a minimal one records what
// the page does with it (the real one is exercised in test/e2e/inbox-bfcache.test.ts).
class FakeEventSource {
  static CONNECTING = 0; static OPEN = 1; static CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) { FakeEventSource.opened.push(this); }
  addEventListener() {}
  close() { this.closed = true; this.readyState = FakeEventSource.CLOSED; }
  /** The server answered an HTTP error: the browser gives up on this stream. */
  fail() { this.readyState = FakeEventSource.CLOSED; this.onerror?.(); }
}

const pageTransition = (type: 'pagehide' | 'pageshow', persisted: boolean) => {
  const event = new Event(type) as PageTransitionEvent;
  Object.defineProperty(event, 'persisted', { value: persisted });
  dispatchEvent(event);
};

let stop: () => void;
beforeEach(() => {
  vi.useFakeTimers();
  vi.spyOn(Math, 'random').mockReturnValue(0);
  FakeEventSource.opened = [];
  vi.stubGlobal('EventSource', FakeEventSource);
});
afterEach(() => { stop?.(); vi.unstubAllGlobals(); vi.useRealTimers(); vi.restoreAllMocks(); });

const handlers = () => ({ onMessage: vi.fn(), onPoll: vi.fn(), onState: vi.fn() });

describe('connectLive', () => {
  it('reconnects after HTTP errors with a doubling delay, reset once a stream opens', () => {
    stop = connectLive('tok', handlers());
    const reconnectDelays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = FakeEventSource.opened.length;
      FakeEventSource.opened.at(-1)!.fail();
      let waited = 0;
      while (FakeEventSource.opened.length === before) { vi.advanceTimersByTime(250); waited += 250; }
      reconnectDelays.push(waited);
    }
    expect(reconnectDelays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    FakeEventSource.opened.at(-1)!.onopen?.();
    FakeEventSource.opened.at(-1)!.fail();
    const before = FakeEventSource.opened.length;
    vi.advanceTimersByTime(1000);
    expect(FakeEventSource.opened.length).toBe(before + 1);
  });

  it('closes the stream on pagehide, stays closed in the cache, and reopens on pageshow with a catch-up', () => {
    const h = handlers();
    stop = connectLive('tok', h);
    const first = FakeEventSource.opened[0]!;
    first.onopen?.();
    expect(h.onState).toHaveBeenLastCalledWith('live');
    pageTransition('pagehide', true);
    expect(first.closed).toBe(true);
    // The page goes into the cache saying it is not live: restored, it says "Live" again only
    // once its new stream is open (it showed "Live" with no stream on the server meanwhile).
    expect(h.onState).toHaveBeenLastCalledWith('polling');
    vi.advanceTimersByTime(60_000);
    expect(FakeEventSource.opened).toHaveLength(1);
    expect(h.onPoll).not.toHaveBeenCalled();
    pageTransition('pageshow', true);
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(FakeEventSource.opened[1]!.url).toBe('/api/v1/events/stream?token=tok');
    expect(h.onPoll).toHaveBeenCalledTimes(1);
    expect(h.onState).toHaveBeenLastCalledWith('polling');
    FakeEventSource.opened[1]!.onopen?.();
    expect(h.onState).toHaveBeenLastCalledWith('live');
  });

  it('stops listening to page transitions once stopped', () => {
    stop = connectLive('tok', handlers());
    stop();
    pageTransition('pageshow', true);
    expect(FakeEventSource.opened).toHaveLength(1);
  });
});
