import type { Socket } from 'node:net';

/**
 * Holds the answer to a client that is already over its limit: the socket is paused for
 * `delayMs` (what it keeps sending waits in the kernel's buffers, unread), then the 429 goes
 * out and the connection closes. A flooder's connections then cost a timer each instead of a
 * parse per request, and its request rate drops to one per connection per delay (nginx's
 * `limit_req` delays the same way). At most `maxHeld` sockets are held; past that, answers are
 * immediate, so holding can never exhaust the server's sockets.
 */
export class Tarpit {
  private held = 0;

  constructor(private readonly delayMs: number, private readonly maxHeld = 1_000) {}

  hold(socket: Socket, answer: () => void): void {
    if (!(this.delayMs > 0) || this.held >= this.maxHeld || socket.destroyed) return answer();
    this.held++;
    socket.pause();
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.held--;
      clearTimeout(timer);
      socket.off('close', release);
      answer();
    };
    const timer = setTimeout(release, this.delayMs);
    socket.once('close', release);
  }
}
