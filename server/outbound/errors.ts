// Typed failures of an outbound request. `retriable: false` stops withRetries at once; the
// others are sent again only when that cannot duplicate the request (retry.ts, mayRepeat).
export abstract class OutboundError extends Error {
  abstract readonly code: string;
  abstract readonly retriable: boolean;
  /** Set by withRetries on the error it finally throws. */
  attempts?: number;
}

/** The URL, scheme or resolved address is not allowed by the outbound policy. */
export class OutboundBlockedError extends OutboundError {
  readonly code = 'outbound_blocked';
  readonly retriable = false;
  override name = 'OutboundBlockedError';
}

/** The request itself is malformed (bad URL, invalid header); retrying cannot help. */
export class OutboundRequestError extends OutboundError {
  readonly code = 'outbound_invalid_request';
  readonly retriable = false;
  override name = 'OutboundRequestError';
}

export class OutboundTimeoutError extends OutboundError {
  readonly code = 'outbound_timeout';
  readonly retriable = true;
  override name = 'OutboundTimeoutError';
}

export class OutboundNetworkError extends OutboundError {
  readonly code = 'outbound_network';
  readonly retriable = true;
  override name = 'OutboundNetworkError';
  /** The request cannot have reached the server (no address, no connection): sending it again cannot duplicate it. */
  readonly neverSent: boolean;
  constructor(message: string, options?: ErrorOptions & { neverSent?: boolean }) {
    super(message, options);
    this.neverSent = options?.neverSent ?? false;
  }
}

/**
 * The caller gave up on the request (its run was cancelled). `sent`: the request had left by
 * then (the connection was open), so the other side may have it.
 */
export class OutboundCancelledError extends OutboundError {
  readonly code = 'outbound_cancelled';
  readonly retriable = false;
  override name = 'OutboundCancelledError';
  /** Set when it came between two attempts: the one that was not started. */
  readonly beforeAttempt: number | undefined;
  constructor(message: string, readonly sent: boolean, beforeAttempt?: number) {
    super(message);
    this.beforeAttempt = beforeAttempt;
  }
}

/** Socket errors raised before a connection existed: nothing of the request left this machine. */
export const BEFORE_CONNECTION = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export class ResponseTooLargeError extends OutboundError {
  readonly code = 'outbound_response_too_large';
  readonly retriable = false;
  override name = 'ResponseTooLargeError';
  constructor(readonly limitBytes: number) {
    super(`response larger than ${limitBytes} bytes`);
  }
}
