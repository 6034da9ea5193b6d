import { Field } from '../Field';
import type { Draft } from './draft';
import { appKeyFromName, followName } from './slug';
import { Section } from './Section';

interface Props {
  draft: Draft;
  onChange(draft: Draft): void;
  /** A registered app keeps its key: workflows and the app's own server know it by it. */
  keyLocked: boolean;
}

type UrlName = 'logoUrl' | 'coverUrl' | 'videoUrl';
const PICTURES: [UrlName, string, string][] = [
  ['logoUrl', 'Logo URL', 'https only, on a public address; shown on the app card'],
  ['coverUrl', 'Cover image URL', 'https only, on a public address'],
  ['videoUrl', 'Video URL', 'https only, on a public address; how to get an API key, how to use the app'],
];

/** Settings (mini-app 2.0): what users see before installing, and where install and uninstall are told. */
export function AppInfoSection({ draft, onChange, keyLocked }: Props) {
  const set = (patch: Partial<Draft>) => onChange({ ...draft, ...patch });
  return (
    <Section title="App info">
      <div className="grid2">
        <Field label="App name" path="name">
          {(p) => <input {...p} value={draft.name} onChange={(e) => set({
            name: e.target.value,
            ...(keyLocked ? {} : { key: followName(draft.key, draft.name, e.target.value, appKeyFromName) }),
          })} />}
        </Field>
        <Field label="App key" path="key" hint={keyLocked
          ? 'A registered app keeps its key.'
          : 'Lower-case letters, digits, - and _. Made from the name until you change it.'}>
          {(p) => <input {...p} className="mono" value={draft.key} readOnly={keyLocked} onChange={(e) => set({ key: e.target.value })} />}
        </Field>
      </div>
      <Field label="Description" path="description">
        {(p) => <textarea {...p} rows={3} value={draft.description} onChange={(e) => set({ description: e.target.value })} />}
      </Field>
      <div className="grid2">
        {PICTURES.map(([name, label, hint]) => (
          <Field key={name} label={label} path={name} hint={hint}>
            {(p) => <input {...p} type="url" value={draft[name]} placeholder="https://" onChange={(e) => set({ [name]: e.target.value })} />}
          </Field>
        ))}
      </div>
      <h5>Subscribe & unsubscribe requests</h5>
      <div className="grid2">
        <Field label="Subscribe URL" path="subscribeUrl"
          hint="Called, signed, when the app is installed: with the API key (holding the scopes below) and the auth inputs' values. Needed when the app has scopes or triggers.">
          {(p) => <input {...p} type="url" value={draft.subscribeUrl} onChange={(e) => set({ subscribeUrl: e.target.value })} />}
        </Field>
        <Field label="Unsubscribe URL" path="unsubscribeUrl" hint="Called, signed, when the app is uninstalled; its key no longer works then.">
          {(p) => <input {...p} type="url" value={draft.unsubscribeUrl} onChange={(e) => set({ unsubscribeUrl: e.target.value })} />}
        </Field>
      </div>
    </Section>
  );
}
