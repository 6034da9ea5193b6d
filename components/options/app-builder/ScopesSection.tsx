import { SCOPES } from '../../../lib/contracts/scopes';
import { GroupError } from '../Field';
import type { Draft } from './draft';
import { SCOPE_WORDS } from './words';
import { Section } from './Section';

/**
 * API scopes, as UChat's settings check them: what the app's key may do in this workspace. A
 * pasted scope the contract does not know stays listed (and refused) until it is unchecked.
 */
export function ScopesSection({ draft, onChange }: { draft: Draft; onChange(draft: Draft): void }) {
  const unknown = draft.scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  const toggle = (scope: string, on: boolean) => onChange({ ...draft, scopes: on ? [...draft.scopes, scope] : draft.scopes.filter((s) => s !== scope) });
  return (
    <Section title="API scopes">
      <p className="hint">When an admin installs the app, its server is sent an API key holding exactly these scopes (in the subscribe request).</p>
      <div className="scope-checks">
        {[...SCOPES, ...unknown].map((scope) => (
          <label key={scope} className="check">
            <input type="checkbox" checked={draft.scopes.includes(scope)} onChange={(e) => toggle(scope, e.target.checked)} />
            {scope in SCOPE_WORDS ? SCOPE_WORDS[scope as keyof typeof SCOPE_WORDS] : 'Not a scope'} <code>{scope}</code>
          </label>
        ))}
      </div>
      <GroupError path="scopes" />
    </Section>
  );
}
