import { startTestServer as startHttpServer } from '../../server/outbound/test-server';

/** A loopback CRM for a "Sync to CRM" step: it refuses until `up` is set, and keeps what it was sent. */
export interface SwitchableCrm {
  url: string;
  /** Set to take every request from then on (200 {"ok":true}). */
  up: boolean;
  /** Each request's path and body, in the order they came. */
  paths: string[];
  bodies: string[];
  close(): Promise<void>;
}

const refusals = { 403: 'not allowed', 404: 'no such route' } as const;

/**
 * Refuses with `downStatus` while down: a 4xx fails the step at once (a 5xx would be tried again
 * later instead), so a run of it fails and can be run again. `upPaths` take requests even then
 * (the route an admin's fix of the step points at).
 */
export async function startSwitchableCrm(downStatus: keyof typeof refusals, upPaths: string[] = []): Promise<SwitchableCrm> {
  const paths: string[] = [];
  const bodies: string[] = [];
  const http = await startHttpServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      paths.push(req.url ?? '');
      bodies.push(body);
      const up = crm.up || upPaths.includes(req.url ?? '');
      res.statusCode = up ? 200 : downStatus;
      res.setHeader('content-type', 'application/json');
      res.end(up ? '{"ok":true}' : JSON.stringify({ error: refusals[downStatus] }));
    });
  });
  const crm: SwitchableCrm = { url: http.url, up: false, paths, bodies, close: () => http.close() };
  return crm;
}
