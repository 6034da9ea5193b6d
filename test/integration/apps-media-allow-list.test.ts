import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppList, AppManifest } from '../../lib/contracts/apps';
import { insertApp } from '../../server/apps/store';
import { generateSigningSecret } from '../../server/signing/standard-webhooks';
import { startTestServer, type TestServer } from '../support/server';

// An intranet deployment whose apps live on its own network allow-lists their hosts in
// COMPANION_ALLOW_PRIVATE_URLS, which the HTTP step and the subscribe request honour; an app's
// logo, cover and video on those hosts were refused anyway (422), and an app stored before with
// one could not be saved again unchanged. They are taken now, and GET /apps says which private
// media the options page may load (privateMediaShown); a host not listed is still refused.

let server: TestServer;
beforeAll(async () => { server = await startTestServer({ workers: false, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1,crm.corp.internal' } }); });
afterAll(async () => server?.close());

const admin = () => server.api(server.adminToken);
const manifest = (key: string, media: Record<string, string>) => ({ key, name: `App ${key}`, description: 'On our network', ...media });

describe('app media on hosts the operator allow-listed', () => {
  it('registers them, and GET /apps marks them for the options page', async () => {
    const res = await admin().post('/apps', manifest('crm', { logoUrl: 'https://127.0.0.1:9443/logo.png', coverUrl: 'https://crm.corp.internal/cover.png', videoUrl: 'https://www.youtube.com/watch?v=abc' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.app.privateMediaShown).toEqual(['logoUrl', 'coverUrl']);
    const listed = AppList.parse((await admin().get('/apps')).body).apps.find((a) => a.key === 'crm')!;
    expect(listed.manifest.coverUrl).toBe('https://crm.corp.internal/cover.png');
    expect(listed.privateMediaShown).toEqual(['logoUrl', 'coverUrl']);
  });

  it('still refuses a private host not listed, saying how to allow it', async () => {
    const res = await admin().post('/apps', manifest('wiki', { logoUrl: 'https://wiki.corp.internal/logo.png' }));
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.details).toEqual([{ path: 'body.logoUrl', message: expect.stringMatching(/^wiki\.corp\.internal is a private, .* add "wiki\.corp\.internal" to COMPANION_ALLOW_PRIVATE_URLS$/) }]);
  });

  it('saves again an app stored before with such media, its URLs unchanged', async () => {
    // As stored before private media were refused: straight into the database.
    const stored = manifest('old-crm', { logoUrl: 'https://crm.corp.internal/logo.png', videoUrl: 'https://127.0.0.1/intro.mp4' });
    const { id } = await insertApp(server.store.db, AppManifest.parse(stored), server.app.services.vault.seal(generateSigningSecret()));
    const res = await admin().put(`/apps/${id}`, { ...stored, description: 'Renamed on our network' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.privateMediaShown).toEqual(['logoUrl', 'videoUrl']);
    expect((await admin().get(`/apps/${id}`)).body.manifest.description).toBe('Renamed on our network');
  });
});
