import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { AdAccountsSettings } from '../../components/options/AdAccountsSettings';
import { AdsCatalogSettings } from '../../components/options/AdsCatalogSettings';
import { LifecycleStagesSettings } from '../../components/options/LifecycleStagesSettings';
import { ok, renderWithProviders, serveApi } from './options-harness';

// A fresh workspace's Settings: a section with nothing in it says so and how it fills, rather than
// showing a table of headings alone (Channels already said "No channel connected yet.").

describe('settings on a fresh workspace', () => {
  it.each([
    { section: 'Ad accounts', ui: <AdAccountsSettings />, says: 'No ad account linked yet.' },
    { section: 'Ads catalog', ui: <AdsCatalogSettings />, says: 'No ads yet: link an ad account above to read its ads from Meta, or add an ad by hand below.' },
    { section: 'Lifecycle stages', ui: <LifecycleStagesSettings />, says: 'No stages yet. Add them in the order contacts move through them' },
  ])('$section says it is empty and how to fill it', async ({ section, ui, says }) => {
    serveApi({
      'GET /ads/accounts': ok({ accounts: [] }), 'GET /ads/workflow-warnings': ok({ workflows: [] }), 'GET /ads': ok({ ads: [] }),
      'GET /settings/lifecycle-stages': ok({ stages: [] }),
    });
    renderWithProviders(ui);
    const region = within(await screen.findByRole('region', { name: section }));
    expect(await region.findByText((text) => text.startsWith(says))).toBeTruthy();
  });
});
