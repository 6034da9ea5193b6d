import { describe, expect, it } from 'vitest';
import { LiveBus } from './live-bus';

describe('LiveBus', () => {
  it('counts open streams, says when the first opens and the last closes, and does not count caches watching a type', () => {
    const bus = new LiveBus();
    const changes: boolean[] = [];
    bus.onStreamsChanged((open) => changes.push(open));
    const cleared: string[] = [];
    bus.watch('definitions.changed', (m) => { if (m.type === 'definitions.changed') cleared.push(m.version); });
    expect(bus.streams).toBe(0);
    expect(bus.watches('definitions.changed')).toBe(true);
    expect(bus.watches('run.updated')).toBe(false);

    const got: string[] = [];
    const first = bus.subscribe((m) => got.push(m.type));
    const second = bus.subscribe(() => {});
    expect(bus.streams).toBe(2);
    bus.publish({ type: 'definitions.changed', version: 'v2' });
    bus.deliverLocal({ type: 'run.updated', runId: 'run_1', workflowId: 'wf', status: 'completed' });
    expect(got).toEqual(['definitions.changed', 'run.updated']);
    expect(cleared).toEqual(['v2']);

    first();
    first(); // closing twice counts once
    expect(bus.streams).toBe(1);
    second();
    expect(bus.streams).toBe(0);
    expect(changes).toEqual([true, false]);
  });

  it('hands every published message to its relays, and delivered ones (from other instances) to none', () => {
    const bus = new LiveBus();
    const relayed: string[] = [];
    bus.addRelay((m) => relayed.push(m.type));
    bus.publish({ type: 'definitions.changed', version: 'v1' });
    bus.deliverLocal({ type: 'definitions.changed', version: 'v2' });
    expect(relayed).toEqual(['definitions.changed']);
  });
});
