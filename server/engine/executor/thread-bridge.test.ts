import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { LiveBus } from '../../events/live-bus';
import type { Services } from '../../services';
import { startThreadBridge } from './thread-bridge';

/** Both ends of a thread's port in one process: what one side posts, the other hears. */
function pair() {
  const a = new EventEmitter() as EventEmitter & { postMessage(n: unknown): void };
  const b = new EventEmitter() as EventEmitter & { postMessage(n: unknown): void };
  a.postMessage = (n) => queueMicrotask(() => b.emit('message', n));
  b.postMessage = (n) => queueMicrotask(() => a.emit('message', n));
  return [a, b] as const;
}
const services = () => ({ live: new LiveBus(), store: {} }) as unknown as Services;
const tick = () => new Promise((r) => setImmediate(r));

describe('the executor thread\'s bridge', () => {
  it('wakes the other side\'s worker once per tick of new runs, and relays stream messages only to a side with streams open', async () => {
    const [mainPort, threadPort] = pair();
    const main = services();
    const thread = services();
    const mainWoken = vi.fn();
    const threadWoken = vi.fn();
    const mainBridge = startThreadBridge(main, mainPort, mainWoken);
    startThreadBridge(thread, threadPort, threadWoken);
    threadWoken.mockClear();

    mainBridge.notifyRuns();
    mainBridge.notifyRuns();
    await tick(); await tick();
    expect(threadWoken).toHaveBeenCalledTimes(1);

    // No stream open on the main side: the thread keeps a run's update to itself.
    const heard: unknown[] = [];
    const message = { type: 'run.updated', runId: 'run_1', workflowId: 'wf_1', status: 'completed' } as const;
    thread.live.publish(message);
    await tick(); await tick();
    const close = main.live.subscribe((m) => heard.push(m));
    await tick(); await tick();
    thread.live.publish(message);
    await tick(); await tick();
    expect(heard).toEqual([message]);
    close();
  });

  it('ignores what is not a note (the thread\'s port also carries "stop")', async () => {
    const [, threadPort] = pair();
    const woken = vi.fn();
    startThreadBridge(services(), threadPort, woken);
    expect(() => threadPort.emit('message', 'stop')).not.toThrow();
    expect(() => threadPort.emit('message', null)).not.toThrow();
  });
});
