import { afterEach, beforeEach } from 'vitest';
import { startChannelWorld, type ChannelWorld } from '../integration/channels/support';
import type { Api } from './server';
import { startSwitchableCrm, type SwitchableCrm } from './switchable-crm';

/** What a Run again suite with customers on WhatsApp acts in: see eachRerunChannelWorld. */
export interface RerunChannelWorld {
  w: ChannelWorld;
  crm: SwitchableCrm;
  /** Sam Supervisor, who runs the failed runs again. */
  sam: Api;
}

/**
 * For each test of the calling block: a channel world (on `databaseUrl()` when it gives one, else
 * SQLite) allowed to call a loopback CRM that answers 404 until it is up (`upPaths` take requests
 * even then), and Sam Supervisor; handed to `use`, closed after.
 */
export function eachRerunChannelWorld(databaseUrl: () => string | undefined, use: (world: RerunChannelWorld) => void, upPaths: string[] = []): void {
  let world: RerunChannelWorld | undefined;
  beforeEach(async () => {
    const crm = await startSwitchableCrm(404, upPaths);
    const w = await startChannelWorld({ databaseUrl: databaseUrl(), env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } });
    world = { w, crm, sam: w.server.api((await w.server.createUser('supervisor', { name: 'Sam Supervisor' })).token) };
    use(world);
  });
  afterEach(async () => {
    await world?.w.close();
    await world?.crm.close();
    world = undefined;
  });
}
