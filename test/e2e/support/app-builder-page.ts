import type { ElementHandle, Page } from 'puppeteer-core';
import type { AppManifestInput } from '../../../lib/contracts/apps';
import { AUTH_TYPE_WORDS, FIELD_TYPE_WORDS, SCOPE_WORDS } from '../../../components/options/app-builder/words';

// The options page's app builder as a person drives it in Chromium: each input found by its
// label inside its row ("Field 2 › Label"), typed into with the keyboard, selects chosen by the
// words they show. `buildApp` fills the whole form from a manifest, never through the JSON box.

export function appBuilderPage(page: Page) {
  const find = async (path: string[]) => {
    const selector = path.map((name) => `::-p-aria(${name})`).join(' ');
    const el = await page.waitForSelector(selector, { timeout: 10_000 });
    if (!el) throw new Error(`Nothing at ${path.join(' › ')}`);
    return el as ElementHandle<HTMLInputElement>;
  };
  const type = async (path: string[], text: string) => {
    const el = await find(path);
    await el.click({ count: 3 });
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.press('Backspace');
    if (text) await el.type(text);
  };
  /** Chooses the option whose words are `words` (what the select shows, not its value). */
  const choose = async (path: string[], words: string) => {
    const select = await find(path) as unknown as ElementHandle<HTMLSelectElement>;
    const value = await select.evaluate((s, w) => [...s.options].find((o) => o.textContent === w)?.value, words);
    if (value === undefined) throw new Error(`No option "${words}" at ${path.join(' › ')}`);
    await select.select(value);
  };
  const press = async (path: string[]) => (await find(path)).click();
  const check = async (path: string[]) => {
    const box = await find(path);
    if (!(await box.evaluate((b) => b.checked))) await box.click();
  };

  async function buildApp(m: AppManifestInput) {
    await type(['App info[role="region"]', 'App name'], m.name);
    await type(['App info[role="region"]', 'App key'], m.key);
    await type(['App info[role="region"]', 'Description'], m.description ?? '');
    await type(['App info[role="region"]', 'Logo URL'], m.logoUrl ?? '');
    await type(['App info[role="region"]', 'Cover image URL'], m.coverUrl ?? '');
    await type(['App info[role="region"]', 'Video URL'], m.videoUrl ?? '');
    await type(['App info[role="region"]', 'Subscribe URL'], m.subscribeUrl ?? '');
    await type(['App info[role="region"]', 'Unsubscribe URL'], m.unsubscribeUrl ?? '');
    for (const scope of m.scopes ?? []) await check(['API scopes[role="region"]', `${SCOPE_WORDS[scope]} ${scope}`]);

    for (const [i, input] of (m.authInputs ?? []).entries()) {
      const at = ['Auth inputs[role="region"]', `Auth input ${i + 1}[role="group"]`];
      await press(['Auth inputs[role="region"]', 'Add auth input[role="button"]']);
      await type([...at, 'Label'], input.label);
      await type([...at, 'Key'], input.key);
      await choose([...at, 'Type'], AUTH_TYPE_WORDS[input.type]);
      if (input.required) await check([...at, 'Required']);
      if (input.maxLength !== undefined) await type([...at, 'Maximum length'], String(input.maxLength));
    }
    for (const [i, field] of (m.fields ?? []).entries()) {
      const at = ['App fields[role="region"]', `Field ${i + 1}[role="group"]`];
      await press(['App fields[role="region"]', 'Add field[role="button"]']);
      await type([...at, 'Label'], field.label);
      await type([...at, 'Key'], field.key);
      await choose([...at, 'Type'], FIELD_TYPE_WORDS[field.type]);
    }
    for (const [t, trigger] of (m.triggers ?? []).entries()) {
      const at = ['Triggers[role="region"]', `Trigger ${t + 1}[role="group"]`];
      await press(['Triggers[role="region"]', 'Add trigger[role="button"]']);
      await type([...at, 'Trigger name'], trigger.name);
      await type([...at, 'Trigger key'], trigger.key);
      for (const [i, key] of (trigger.items ?? []).entries()) {
        await press([...at, 'Add item[role="button"]']);
        const field = m.fields?.find((f) => f.key === key);
        await choose([...at, `Item ${i + 1}[role="group"]`, 'App field'], `${field?.label} (${key})`);
      }
    }
    for (const [a, action] of (m.actions ?? []).entries()) {
      const at = ['Actions[role="region"]', `Action ${a + 1}[role="group"]`];
      await press(['Actions[role="region"]', 'Add action[role="button"]']);
      await type([...at, 'Action name'], action.name);
      await type([...at, 'Action key'], action.key);
      for (const [i, input] of (action.inputs ?? []).entries()) {
        await press([...at, 'Add input[role="button"]']);
        await type([...at, `Input ${i + 1}[role="group"]`, 'Input label'], input.label);
        await type([...at, `Input ${i + 1}[role="group"]`, 'Input key'], input.key);
        if (input.required) await check([...at, `Input ${i + 1}[role="group"]`, 'Required']);
      }
      await choose([...at, 'Method'], action.request.method);
      await type([...at, 'Request URL'], action.request.url);
      for (const [i, [name, value]] of Object.entries(action.request.headers ?? {}).entries()) {
        await press([...at, 'Add header[role="button"]']);
        await type([...at, `Header ${i + 1}[role="group"]`, 'Header name'], name);
        await type([...at, `Header ${i + 1}[role="group"]`, 'Header value'], value);
      }
      if (action.request.body !== undefined) await type([...at, 'Request body (JSON)'], JSON.stringify(action.request.body));
      if (action.request.timeoutMs !== undefined) await type([...at, 'Timeout (ms)'], String(action.request.timeoutMs));
      for (const [i, output] of (action.outputs ?? []).entries()) {
        await press([...at, 'Add output[role="button"]']);
        await type([...at, `Output ${i + 1}[role="group"]`, 'JSON key'], output.jsonKey);
        await type([...at, `Output ${i + 1}[role="group"]`, 'Variable'], output.variable);
      }
    }
  }

  return { find, type, choose, press, check, buildApp };
}
