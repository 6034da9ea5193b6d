// Typed failures of an outbound request. `retriable` steers withRetries: only transient
// failures (network, timeout) are worth another attempt.
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
