import { ActionInput, ActionOutput, ActionRequest, AppAction, AppField, AppManifest, AppTrigger, AuthInput } from '../../../lib/contracts/apps';
import { uid, type ActionRow, type Draft, type FieldRow, type ItemRow } from './draft';

/**
 * A manifest (pasted JSON, or an app's stored one) as the form holds it. It need not pass the
 * contract (the form then shows the contract's reasons at the inputs), but every value must have
 * an input to show it: `unshown` lists those of a type no input can hold (they would be lost),
 * `ignored` the keys the contract does not know (the form leaves them out; POST and PUT /apps refuse them).
 */
export interface DraftFromJson { draft: Draft; unshown: string[]; ignored: string[] }

type Obj = Record<string, unknown>;
const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);

export function draftFromManifest(json: unknown): DraftFromJson {
  const unshown: string[] = [];
  const ignored: string[] = [];
  const at = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

  /** `known` undefined: any key is a value (headers). */
  const obj = (value: unknown, path: string, known?: readonly string[]): Obj | undefined => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      unshown.push(path || 'the manifest (not an object)');
      return undefined;
    }
    if (known) for (const key of Object.keys(value)) if (!known.includes(key)) ignored.push(at(path, key));
    return value as Obj;
  };
  const str = (o: Obj, key: string, path: string): string => {
    const v = o[key];
    if (v === undefined) return '';
    if (typeof v === 'string') return v;
    unshown.push(at(path, key));
    return '';
  };
  const num = (o: Obj, key: string, path: string): string => {
    const v = o[key];
    if (v === undefined) return '';
    if (typeof v === 'number') return String(v);
    unshown.push(at(path, key));
    return '';
  };
  const bool = (o: Obj, key: string, path: string): boolean => {
    const v = o[key];
    if (v === undefined || typeof v === 'boolean') return v ?? false;
    unshown.push(at(path, key));
    return false;
  };
  /** Each element read by `read`; one it cannot read is reported (by `read`) and left out. */
  const list = <T>(o: Obj, key: string, path: string, read: (v: unknown, p: string) => T | undefined): T[] => {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      unshown.push(at(path, key));
      return [];
    }
    return v.flatMap((e, i) => {
      const row = read(e, at(at(path, key), i));
      return row === undefined ? [] : [row];
    });
  };
  const text = (v: unknown, p: string) => {
    if (typeof v === 'string') return v;
    unshown.push(p);
    return undefined;
  };

  const m = obj(json, '', keysOf(AppManifest)) ?? {};
  const fields = list(m, 'fields', '', (v, p): FieldRow | undefined => {
    const f = obj(v, p, keysOf(AppField));
    return f && { uid: uid(), key: str(f, 'key', p), label: str(f, 'label', p), type: str(f, 'type', p) };
  });
  const item = (key: string): ItemRow => {
    const field = fields.find((f) => f.key === key);
    return field ? { uid: uid(), field: field.uid } : { uid: uid(), field: '', missingKey: key };
  };
  const action = (v: unknown, p: string): ActionRow | undefined => {
    const a = obj(v, p, keysOf(AppAction));
    if (!a) return undefined;
    const rp = at(p, 'request');
    const r = a.request === undefined ? {} : obj(a.request, rp, keysOf(ActionRequest)) ?? {};
    const hp = at(rp, 'headers');
    const h = r.headers === undefined ? {} : obj(r.headers, hp) ?? {};
    const headers = Object.entries(h).flatMap(([name, value]) => {
      const t = text(value, at(hp, name));
      return t === undefined ? [] : [{ uid: uid(), name, value: t }];
    });
    return {
      uid: uid(),
      key: str(a, 'key', p),
      name: str(a, 'name', p),
      inputs: list(a, 'inputs', p, (iv, ip) => {
        const i = obj(iv, ip, keysOf(ActionInput));
        return i && { uid: uid(), key: str(i, 'key', ip), label: str(i, 'label', ip), required: bool(i, 'required', ip) };
      }),
      method: str(r, 'method', rp),
      url: str(r, 'url', rp),
      headers,
      body: 'body' in r ? JSON.stringify(r.body, null, 2) : '',
      timeoutMs: num(r, 'timeoutMs', rp),
      outputs: list(a, 'outputs', p, (ov, op) => {
        const o = obj(ov, op, keysOf(ActionOutput));
        return o && { uid: uid(), variable: str(o, 'variable', op), jsonKey: str(o, 'jsonKey', op) };
      }),
    };
  };

  const draft: Draft = {
    key: str(m, 'key', ''),
    name: str(m, 'name', ''),
    description: str(m, 'description', ''),
    logoUrl: str(m, 'logoUrl', ''),
    coverUrl: str(m, 'coverUrl', ''),
    videoUrl: str(m, 'videoUrl', ''),
    subscribeUrl: str(m, 'subscribeUrl', ''),
    unsubscribeUrl: str(m, 'unsubscribeUrl', ''),
    scopes: list(m, 'scopes', '', text),
    authInputs: list(m, 'authInputs', '', (v, p) => {
      const a = obj(v, p, keysOf(AuthInput));
      return a && { uid: uid(), key: str(a, 'key', p), label: str(a, 'label', p), type: str(a, 'type', p), required: bool(a, 'required', p), maxLength: num(a, 'maxLength', p) };
    }),
    fields,
    triggers: list(m, 'triggers', '', (v, p) => {
      const t = obj(v, p, keysOf(AppTrigger));
      if (!t) return undefined;
      const keys = list(t, 'items', p, text);
      return { uid: uid(), key: str(t, 'key', p), name: str(t, 'name', p), items: keys.map(item) };
    }),
    actions: list(m, 'actions', '', action),
  };
  return { draft, unshown, ignored };
}
