import type { Page } from 'puppeteer-core';
import { expect } from 'vitest';
import type { TestServer } from '../support/server';
import {
  connectExtension, launchWithExtension, launcherState, openConversation, until, type ExtensionBrowser,
} from './launcher-harness';

// The world of the launcher tests about one kind of form field (launcher-phone-country,
// launcher-number-field): what differs is the field, the contact and the workspace's settings,
// which the caller makes on `server` first. Kept apart from launcher-harness, which bench/menu.ts
// imports outside vitest.

export interface OneFieldShortcut {
  name: string;
  icon: string;
  description: string;
  /** The form's only field, required. */
  field: { label: string; type: string; variable: string };
  /** The text of the shortcut's one step, Add comment. */
  comment: string;
}

export interface LauncherOnConversation {
  ext: ExtensionBrowser;
  page: Page;
  workflowId: string;
  conversationId: string;
}

/**
 * Ava Agent with the built extension connected, on a new conversation of `contact` in the built-in
 * inbox at 1360×820, the launcher enabled; one published shortcut whose form has `field`.
 */
export async function launcherOnOneFieldShortcut(
  server: TestServer, contact: Record<string, string>, shortcut: OneFieldShortcut,
): Promise<LauncherOnConversation> {
  const admin = server.api(server.adminToken);
  const agent = await server.createUser('agent', { name: 'Ava Agent' });
  const created = await admin.post('/contacts', contact);
  const conversationId = (await admin.post('/conversations', { contactId: created.body.id })).body.id as string;
  const wf = await admin.post('/workflows', {
    name: shortcut.name, status: 'published',
    trigger: {
      type: 'shortcut', icon: shortcut.icon, name: shortcut.name, description: shortcut.description,
      form: { fields: [{ ...shortcut.field, required: true }] },
    },
    steps: [{ id: 'note', type: 'add_comment', config: { text: shortcut.comment } }],
  });
  expect(wf.status, JSON.stringify(wf.body)).toBe(201);

  const ext = await launchWithExtension();
  await connectExtension(ext, server.url, agent.token);
  const page = await ext.browser.newPage();
  await page.setViewport({ width: 1360, height: 820 });
  await openConversation(page, server.url, agent.token, conversationId);
  await until(async () => !(await launcherState(page)).disabled, 'an enabled launcher', 10_000);
  return { ext, page, workflowId: wf.body.id as string, conversationId };
}
