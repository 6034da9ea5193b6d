import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import type { FailedSyncs } from '../../support/failed-syncs';
import type { ExtensionBrowser } from './browser';
import { openConnectedOptions } from './options-page';

/** Sam Supervisor's options page on a companion whose "Sync to CRM" runs failed. */
export interface SupervisorRunsPage {
  world: FailedSyncs;
  ext: ExtensionBrowser;
  options: Page;
  /** Every confirmation the page asked (Run again), accepted, in order. */
  dialogs: string[];
}

/**
 * For the calling file: before its tests, the world `start` makes (the CRM up or not, as the file
 * needs) and Sam Supervisor's options page connected to it, once its Runs entry shows, handed to
 * `use`; the browser and then the world closed after its tests.
 */
export function supervisorRunsPage(start: () => Promise<FailedSyncs>, use: (page: SupervisorRunsPage) => void): void {
  let world: FailedSyncs | undefined;
  let ext: ExtensionBrowser | undefined;
  beforeAll(async () => {
    world = await start();
    const opened = await openConnectedOptions(world.server.url, world.samToken, 'nav a[href="#/runs"]');
    ext = opened.ext;
    const dialogs: string[] = [];
    opened.options.on('dialog', (d) => { dialogs.push(d.message()); void d.accept(); });
    use({ world, ext, options: opened.options, dialogs });
  }, 60_000);
  afterAll(async () => {
    await ext?.close();
    await world?.close();
  });
}
