import type { APP_FIELD_TYPES, AUTH_INPUT_TYPES } from '../../../lib/contracts/apps';
import type { HTTP_METHODS } from '../../../lib/contracts/steps';
import { errorMessage } from '../api';
import type { ErrorMap } from '../error-paths';

// The builder's state: the manifest as the form edits it. Rows carry a `uid` so React keeps each
// input with its row while rows move, and so a trigger item follows its app field when the
// field's key is edited. Enumerations are strings: a pasted manifest may hold a value the
// contract refuses, and the form shows it (and the contract's reason) instead of dropping it.

type Enum<T extends readonly string[]> = T[number] | (string & {});

export interface AuthInputRow { uid: string; key: string; label: string; type: Enum<typeof AUTH_INPUT_TYPES>; required: boolean; maxLength: string }
export interface FieldRow { uid: string; key: string; label: string; type: Enum<typeof APP_FIELD_TYPES> }
/** A trigger item is an app field (by row), or a key naming none (pasted, or its field removed). */
export interface ItemRow { uid: string; field: string; missingKey?: string }
export interface TriggerRow { uid: string; key: string; name: string; items: ItemRow[] }
export interface ActionInputRow { uid: string; key: string; label: string; required: boolean }
export interface HeaderRow { uid: string; name: string; value: string }
export interface OutputRow { uid: string; variable: string; jsonKey: string }
export interface ActionRow {
  uid: string;
  key: string;
  name: string;
  inputs: ActionInputRow[];
  method: Enum<typeof HTTP_METHODS>;
  url: string;
  headers: HeaderRow[];
  /** JSON text; empty for no body. */
  body: string;
  timeoutMs: string;
  outputs: OutputRow[];
}

export interface Draft {
  key: string;
  name: string;
  description: string;
  logoUrl: string;
  coverUrl: string;
  videoUrl: string;
  subscribeUrl: string;
  unsubscribeUrl: string;
  scopes: string[];
  authInputs: AuthInputRow[];
  fields: FieldRow[];
  triggers: TriggerRow[];
  actions: ActionRow[];
}

let seq = 0;
export const uid = () => `r${++seq}`;

export const emptyDraft = (): Draft => ({
  key: '', name: '', description: '', logoUrl: '', coverUrl: '', videoUrl: '', subscribeUrl: '', unsubscribeUrl: '',
  scopes: [], authInputs: [], fields: [], triggers: [], actions: [],
});

export const newAuthInput = (): AuthInputRow => ({ uid: uid(), key: '', label: '', type: 'string', required: false, maxLength: '' });
export const newField = (): FieldRow => ({ uid: uid(), key: '', label: '', type: 'text' });
export const newTrigger = (): TriggerRow => ({ uid: uid(), key: '', name: '', items: [] });
export const newActionInput = (): ActionInputRow => ({ uid: uid(), key: '', label: '', required: false });
export const newHeader = (): HeaderRow => ({ uid: uid(), name: '', value: '' });
export const newOutput = (): OutputRow => ({ uid: uid(), variable: '', jsonKey: '' });
export const newAction = (): ActionRow => ({
  uid: uid(), key: '', name: '', inputs: [], method: 'POST', url: '', headers: [], body: '', timeoutMs: '', outputs: [],
});

/** The key an item sends: its field's current key. */
export function itemKey(item: ItemRow, fields: readonly FieldRow[]): string {
  return fields.find((f) => f.uid === item.field)?.key ?? item.missingKey ?? '';
}

const optional = <K extends string>(name: K, value: string) => (value.trim() ? { [name]: value.trim() } as Record<K, string> : {});
// An emptied number input means "not set"; anything else goes as a number for the contract to judge.
const optionalNumber = <K extends string>(name: K, value: string) => (value.trim() ? { [name]: Number(value) } as Record<K, number> : {});

/**
 * The manifest the draft stands for, as POST and PUT /apps take it (before the contract's
 * defaults), and what the contract cannot say: a request body that is not JSON, a header named twice.
 */
export function manifestFromDraft(d: Draft): { manifest: Record<string, unknown>; problems: ErrorMap } {
  const problems: ErrorMap = {};
  const actions = d.actions.map((a, i) => {
    const at = `actions.${i}.request`;
    let body: { body?: unknown } = {};
    if (a.body.trim()) {
      try {
        body = { body: JSON.parse(a.body) };
      } catch (err) {
        problems[`${at}.body`] = `The body is not JSON: ${errorMessage(err)}`;
      }
    }
    const headers: Record<string, string> = {};
    for (const h of a.headers) {
      if (!h.name.trim() && !h.value) continue;
      if (h.name.trim() in headers) problems[`${at}.headers.${h.name.trim()}`] = `The header ${h.name.trim()} is given twice`;
      headers[h.name.trim()] = h.value;
    }
    return {
      key: a.key,
      name: a.name,
      inputs: a.inputs.map(({ key, label, required }) => ({ key, label, required })),
      request: { method: a.method, url: a.url, headers, ...body, ...optionalNumber('timeoutMs', a.timeoutMs) },
      outputs: a.outputs.map(({ variable, jsonKey }) => ({ variable, jsonKey })),
    };
  });
  const manifest = {
    key: d.key,
    name: d.name,
    description: d.description,
    ...optional('logoUrl', d.logoUrl),
    ...optional('coverUrl', d.coverUrl),
    ...optional('videoUrl', d.videoUrl),
    scopes: d.scopes,
    authInputs: d.authInputs.map((a) => ({
      key: a.key, label: a.label, type: a.type, required: a.required, ...optionalNumber('maxLength', a.maxLength),
    })),
    fields: d.fields.map(({ key, label, type }) => ({ key, label, type })),
    triggers: d.triggers.map((t) => ({ key: t.key, name: t.name, items: t.items.map((item) => itemKey(item, d.fields)) })),
    actions,
    ...optional('subscribeUrl', d.subscribeUrl),
    ...optional('unsubscribeUrl', d.unsubscribeUrl),
  };
  return { manifest, problems };
}
