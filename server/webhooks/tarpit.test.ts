import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Tarpit } from './tarpit';

// A socket as far as the tarpit uses one: pause, close, destroyed.
const fakeSocket = () => Object.assign(new EventEmitter(), { paused: false, destroyed: false, pause() { this.paused = true; } });

describe('Tarpit', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('holds the answer for the delay with the socket unread, then answers', () => {
    vi.useFakeTimers();
    const pit = new Tarpit(1_000);
    const socket = fakeSocket();
    const answer = vi.fn();
    pit.hold(socket as unknown as Socket, answer);
    expect(socket.paused).toBe(true);
    vi.advanceTimersByTime(999);
    expect(answer).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(answer).toHaveBeenCalledTimes(1);
  });

  it('answers at once past the sockets it may hold, and frees a place when a held client hangs up', () => {
    vi.useFakeTimers();
    const pit = new Tarpit(1_000, 1);
    const first = fakeSocket();
    const firstAnswer = vi.fn();
    pit.hold(first as unknown as Socket, firstAnswer);
    const second = vi.fn();
    pit.hold(fakeSocket() as unknown as Socket, second);
    expect(second).toHaveBeenCalledTimes(1);
    first.emit('close');
    expect(firstAnswer).toHaveBeenCalledTimes(1);
    const third = fakeSocket();
    pit.hold(third as unknown as Socket, vi.fn());
    expect(third.paused).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(firstAnswer).toHaveBeenCalledTimes(1);
  });

  it('does not hold when the delay is off', () => {
    const answer = vi.fn();
    new Tarpit(0).hold(fakeSocket() as unknown as Socket, answer);
    expect(answer).toHaveBeenCalledTimes(1);
  });
});
