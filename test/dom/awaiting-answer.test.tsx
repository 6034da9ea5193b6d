import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AwaitingAnswer, AwaitingAnswerState } from '../../lib/contracts/conversations';
import type { Push } from '../../lib/extension/protocol';
import { useAwaitingAnswer, type AwaitingSource } from '../../components/launcher/use-awaiting-answer';

const waiting = (msFromNow: number, name = 'Ask the order', runId = 'run_1'): AwaitingAnswer => ({
  runId, workflowId: `wf_${runId}`, workflowName: name, until: new Date(Date.now() + msFromNow).toISOString(),
});
/** What the server says: the one asked last, and every question waiting (it first). */
const says = (...all: AwaitingAnswer[]): AwaitingAnswerState => ({ awaitingAnswer: all[0] ?? null, awaitingAnswers: all });

/** A source whose answers the test sets, counting what it was asked. */
function fakeSource(companionId: string | null = 'conv_1') {
  const listeners = new Set<(p: Push) => void>();
  const state = { answer: null as AwaitingAnswerState | null | Error, looks: 0, maps: [] as boolean[], tookOver: [] as string[], refuse: '', after: null as AwaitingAnswerState | null };
  const source: AwaitingSource = {
    async map(fresh) { state.maps.push(fresh); return companionId; },
    async look(id) {
      expect(id).toBe(companionId);
      state.looks++;
      if (state.answer instanceof Error) throw state.answer;
      return state.answer ?? { awaitingAnswer: null };
    },
    onPush(l) { listeners.add(l); return () => listeners.delete(l); },
    async takeOver(id, runId) {
      expect(id).toBe(companionId);
      state.tookOver.push(runId);
      if (state.refuse) throw new Error(state.refuse);
      return state.after ?? { awaitingAnswer: null };
    },
  };
  const push = (p: Push) => listeners.forEach((l) => l(p));
  return { source, state, push };
}

describe('whether a workflow waits on the customer (beside the launcher in Chatwoot, the Dashboard App)', () => {
  it('shows what the server says, and goes by itself once the question\'s time has passed', async () => {
    const { source, state } = fakeSource();
    state.answer = says(waiting(600));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(result.current.awaiting[0]?.workflowName).toBe('Ask the order'));
    expect(state.maps).toEqual([false]);
    await waitFor(() => expect(result.current.awaiting).toEqual([]), { timeout: 2000 });
  });

  it('a run update pushed makes it look again at once; one look for a burst', async () => {
    const { source, state, push } = fakeSource();
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(state.looks).toBe(1));
    expect(result.current.awaiting).toEqual([]);
    state.answer = says(waiting(60_000));
    act(() => { for (let i = 0; i < 20; i++) push({ type: 'run.updated', runId: `run_${i}`, status: 'waiting' }); });
    await waitFor(() => expect(result.current.awaiting[0]?.runId).toBe('run_1'), { timeout: 1500 });
    expect(state.looks).toBe(2);
    state.answer = null;
    act(() => push({ type: 'run.updated', runId: 'run_1', status: 'completed' }));
    await waitFor(() => expect(result.current.awaiting).toEqual([]), { timeout: 1500 });
  });

  it('an answer that cannot be had keeps what was shown: unknown is not "none"', async () => {
    const { source, state, push } = fakeSource();
    state.answer = says(waiting(60_000));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(result.current.awaiting).not.toHaveLength(0));
    state.answer = new Error('The companion server cannot be reached');
    act(() => push({ type: 'run.updated', runId: 'run_2', status: 'running' }));
    await waitFor(() => expect(state.looks).toBe(2), { timeout: 1500 });
    expect(result.current.awaiting[0]?.workflowName).toBe('Ask the order');
  });

  it('a conversation the companion has none for shows nothing and asks nothing more', async () => {
    const { source, state } = fakeSource(null);
    state.answer = says(waiting(60_000));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:999'));
    await waitFor(() => expect(state.maps).toEqual([false]));
    expect(state.looks).toBe(0);
    expect(result.current.awaiting).toEqual([]);
  });

  it('another conversation starts from nothing; coming back to the page maps it afresh', async () => {
    const first = fakeSource('conv_1');
    first.state.answer = says(waiting(60_000));
    const second = fakeSource('conv_2');
    const { result, rerender } = renderHook(({ s, k }) => useAwaitingAnswer(s, k), { initialProps: { s: first.source, k: 'chatwoot:1:7' } });
    await waitFor(() => expect(result.current.awaiting).not.toHaveLength(0));
    rerender({ s: second.source, k: 'chatwoot:1:8' });
    expect(result.current.awaiting).toEqual([]);
    await waitFor(() => expect(second.state.looks).toBe(1));
    act(() => { window.dispatchEvent(new Event('focus')); });
    await waitFor(() => expect(second.state.maps).toEqual([false, true]));
    expect(first.state.maps).toEqual([false]);
  });

  it('takes over the run it shows: what waits afterwards shows at once; a refusal keeps the notice', async () => {
    const { source, state } = fakeSource();
    state.answer = says(waiting(60_000));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(result.current.takeOver).not.toBeNull());
    state.refuse = 'Workflow “Ask the order” is in the middle of a step: try again in a moment';
    await expect(act(() => result.current.takeOver!('run_1'))).rejects.toThrow(/middle of a step/);
    expect(result.current.awaiting[0]?.runId).toBe('run_1');
    state.refuse = '';
    state.after = says(waiting(60_000, 'Survey', 'run_9'));
    await act(() => result.current.takeOver!('run_1'));
    expect(state.tookOver).toEqual(['run_1', 'run_1']);
    expect(result.current.awaiting).toMatchObject([{ runId: 'run_9', workflowName: 'Survey' }]);
  });

  it('lists every question waiting, the one asked last first; each goes at its own time, the others stay', async () => {
    const { source, state } = fakeSource();
    state.answer = says(waiting(60_000, 'Ask the order', 'run_2'), waiting(700, 'Rating', 'run_1'));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(result.current.awaiting.map((a) => a.runId)).toEqual(['run_2', 'run_1']));
    const shown = result.current.awaiting;
    // The same list looked at again is the same list: a notice keeps its buttons and the focus.
    await act(async () => { window.dispatchEvent(new Event('focus')); });
    await waitFor(() => expect(state.looks).toBe(2));
    expect(result.current.awaiting).toBe(shown);
    await waitFor(() => expect(result.current.awaiting.map((a) => a.runId)).toEqual(['run_2']), { timeout: 2000 });
  });

  it('takes over the run named, keeping the others; a server that does not list them keeps those shown', async () => {
    const { source, state } = fakeSource();
    state.answer = says(waiting(60_000, 'Ask the order', 'run_2'), waiting(60_000, 'Rating', 'run_1'), waiting(60_000, 'Survey', 'run_3'));
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(result.current.awaiting).toHaveLength(3));
    state.after = says(waiting(60_000, 'Ask the order', 'run_2'), waiting(60_000, 'Survey', 'run_3'));
    await act(() => result.current.takeOver!('run_1'));
    expect(result.current.awaiting.map((a) => a.runId)).toEqual(['run_2', 'run_3']);
    state.after = { awaitingAnswer: waiting(60_000, 'Survey', 'run_3') };
    await act(() => result.current.takeOver!('run_2'));
    expect(state.tookOver).toEqual(['run_1', 'run_2']);
    expect(result.current.awaiting.map((a) => a.runId)).toEqual(['run_3']);
  });

  it('offers no take-over when nothing waits or the source cannot', async () => {
    const { source, state } = fakeSource();
    const { result } = renderHook(() => useAwaitingAnswer(source, 'chatwoot:1:7'));
    await waitFor(() => expect(state.looks).toBe(1));
    expect(result.current.takeOver).toBeNull();
    const readOnly = fakeSource();
    readOnly.state.answer = says(waiting(60_000));
    // Made once, as its callers do (useMemo): a source new at each render is looked at anew each time.
    const noTakeOver = { ...readOnly.source, takeOver: undefined };
    const { result: r2 } = renderHook(() => useAwaitingAnswer(noTakeOver, 'chatwoot:1:7'));
    await waitFor(() => expect(r2.current.awaiting).not.toHaveLength(0));
    expect(r2.current.takeOver).toBeNull();
  });
});
