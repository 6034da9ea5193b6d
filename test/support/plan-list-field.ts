import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from './server';

/**
 * For the calling file: one server without workers whose contacts have the list field Plan
 * (Free, Pro, Enterprise), for publish checks against a list field's options. Returns the server's getter.
 */
export function withPlanListField(): () => TestServer {
  let s: TestServer | undefined;
  beforeAll(async () => {
    s = await startTestServer({ workers: false });
    const put = await s.api(s.adminToken).put('/fields/plan', { label: 'Plan', type: 'list', options: ['Free', 'Pro', 'Enterprise'] });
    expect(put.status, JSON.stringify(put.body)).toBeLessThan(300);
  });
  afterAll(async () => s?.close());
  return () => s!;
}
