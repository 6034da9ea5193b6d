import { screen, within } from '@testing-library/react';
import Papa from 'papaparse';
import { vi } from 'vitest';
import { Shell } from '../../components/options/Shell';
import { ContactImportBody, type ContactImportResult, type ContactImportRow } from '../../lib/contracts/contact-import';
import type { User } from '../../lib/contracts/users';
import { ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

// Shared by the contact import's page tests: the options page's Contacts section against a
// stand-in POST /contacts/import.

const at = '2025-01-01T00:00:00.000Z';
const supervisor: User = { id: 'u_sup', name: 'Sam Supervisor', email: 'sam@example.com', role: 'supervisor', kind: 'human', shortcutsEnabled: true, createdAt: at };
const me = { user: supervisor, permissions: { launchShortcuts: true, configure: false, superviseAgents: true } };
export const fields = [
  { key: 'plan', label: 'Plan', type: 'list', options: ['Gold', 'Silver'] },
  { key: 'orders', label: 'Orders', type: 'number', options: [] },
  { key: 'signup', label: 'Signup date', type: 'date', options: [] },
  { key: 'website', label: 'Website', type: 'url', options: [] },
  { key: 'language', label: 'Language', type: 'list', options: ['English', 'Deutsch'] },
  { key: 'customer_id', label: 'Customer ID', type: 'text', options: [] },
];

/**
 * POST /contacts/import as the server answers: each row created, but a phone without "+" refused
 * with its index; a lifecycle stage "Churned" (removed since the page read the stages) left out
 * as `onInvalidField: "skip"` does.
 */
function importRoute(): (call: ApiCall) => { status: number; body: ContactImportResult } {
  return (call) => {
    const body = ContactImportBody.parse(call.body);
    const results = body.contacts.map((raw, index) => {
      const row = raw as ContactImportRow;
      if (!row.phone?.startsWith('+') && row.phone) return { index, status: 'error' as const, contactId: null, message: `contacts[${index}].phone: Start with + and the country code` };
      const skipped = row.lifecycle === 'Churned' && body.onInvalidField === 'skip' ? { skipped: [{ field: 'lifecycle', message: 'Unknown lifecycle stage "Churned"; use one of: Lead, Customer' }] } : {};
      return { index, status: 'created' as const, contactId: `con_${index}`, ...skipped };
    });
    const failed = results.filter((r) => r.status === 'error').length;
    return ok({ created: results.length - failed, updated: 0, unchanged: 0, failed, results }) as { status: number; body: ContactImportResult };
  };
}

export function serve(extra: Routes = {}, country: string | null = null) {
  return serveApi({
    'GET /fields': ok({ fields }),
    'GET /settings/restrictions': ok({ agentsCanUseShortcuts: true, agents: [] }),
    'GET /users': ok({ users: [supervisor] }),
    'GET /settings/default-country': ok({ country }),
    'GET /settings/lifecycle-stages': ok({ stages: ['Lead', 'Customer', 'Churned'] }),
    'POST /contacts/import': importRoute(),
    ...extra,
  });
}

export async function openImport() {
  window.location.hash = '#/contacts';
  renderWithProviders(<Shell me={me} serverUrl="http://127.0.0.1:8799" />);
  return within(await screen.findByRole('region', { name: 'Import contacts from a CSV file' }));
}

export const csvFile = (content: string | Uint8Array, name = 'contacts.csv') => new File([content as BlobPart], name, { type: 'text/csv' });
export const posts = (calls: ApiCall[]) => calls.filter((c) => c.method === 'POST').map((c) => ContactImportBody.parse(c.body));
export const tableRows = (panel: ReturnType<typeof within>, name: string) =>
  within(panel.getByRole('table', { name })).getAllByRole('row').slice(1).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent));

/** The file the download button saves: its name and bytes. */
export async function downloaded(click: () => Promise<void>) {
  let saved: { name: string; blob: Blob } | undefined;
  URL.createObjectURL = (blob: Blob) => { saved = { name: '', blob }; return 'blob:failed'; };
  URL.revokeObjectURL = () => undefined;
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) { saved!.name = this.download; });
  await click();
  const bytes = new Uint8Array(await saved!.blob.arrayBuffer());
  return { name: saved!.name, bytes, rows: Papa.parse<string[]>(new TextDecoder().decode(bytes)).data };
}

/** "José;São Paulo" as Excel on Windows saves a CSV: Windows-1252 bytes. */
export function windows1252(text: string): Uint8Array {
  const table: Record<string, number> = { '€': 0x80, '’': 0x92 };
  return Uint8Array.from([...text].map((c) => table[c] ?? (c.charCodeAt(0) <= 0xff ? c.charCodeAt(0) : 0x3f)));
}
