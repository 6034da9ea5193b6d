import type { FormModule } from '../../components/forms/mount';

// The lazily imported form renderer (entrypoints/inbox-forms.ts) is an IIFE bundle: it cannot
// export, so it leaves its API here, in the content script's isolated world.
const GLOBAL = '__inboxCompanionForms';
type FormsGlobal = typeof globalThis & { [GLOBAL]?: FormModule };

export const registeredFormModule = (): FormModule | null => (globalThis as FormsGlobal)[GLOBAL] ?? null;

export function exposeFormModule(mod: FormModule) {
  (globalThis as FormsGlobal)[GLOBAL] = mod;
}
