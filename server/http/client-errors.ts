import http from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Requests Node refuses before Fastify sees them (headers over Node's limit, a timeout, bytes that
 * are not HTTP) in the API's error shape: Fastify's own answer (`{"error":"Request Header Fields
 * Too Large","statusCode":431}`) broke clients that read `error.code`.
 */
const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large',
    `The request line and headers are larger than the server takes (${Math.round(http.maxHeaderSize / 1024)} KiB): shorten the URL's query string or the headers; long values go in a JSON body`],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request did not arrive in time; send it again'],
};
const NOT_HTTP: [number, string, string] = [400, 'bad_request', 'The request is not valid HTTP/1.1'];

export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection reset: nobody is left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = (err.code && ANSWERS[err.code]) || NOT_HTTP;
  this.log.debug({ err }, `client error ${status}`);
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message } });
    socket.write(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(err);
}
