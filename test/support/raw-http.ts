import http from 'node:http';

/**
 * One request with exactly these headers and bytes, over real HTTP: fetch would add a content
 * type to a string body, follow redirects, or drop a body from a DELETE. With a body (an empty
 * one too) its content-length is sent unless the headers give one. The answer's body is parsed
 * as JSON when it is JSON. The server may answer (413) and close before the whole body is
 * written: that write error is not the request's failure.
 */
export function rawRequest(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
    const sized = bytes && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length') ? { 'content-length': String(bytes.length) } : {};
    const req = http.request(url + path, { method, headers: { ...sized, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* text */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(bytes);
  });
}
