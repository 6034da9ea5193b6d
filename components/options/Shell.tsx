import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Me } from '../../lib/contracts/users';
import { sendMessage } from '../../lib/extension/messaging';
import { ContactImport } from './ContactImport';
import { ContactSearch } from './ContactSearch';
import { MiniAppsPage } from './MiniAppsPage';
import { RestrictionsPanel } from './RestrictionsPanel';
import { RunHistory } from './RunHistory';
import { useHashRoute } from './router';
import { SettingsPage } from './SettingsPage';
import { WorkflowEditorPage } from './WorkflowEditorPage';
import { WorkflowsPage } from './WorkflowsPage';

type Section = 'workflows' | 'runs' | 'apps' | 'restrictions' | 'contacts' | 'settings';
const LABELS: Record<Section, string> = { workflows: 'Workflows', runs: 'Runs', apps: 'Mini-apps', restrictions: 'Restrictions', contacts: 'Contacts', settings: 'Settings' };

/**
 * What this role may use: admins everything; supervisors the restrictions, contact imports and
 * the run history (read: what their agents ran and what failed); agents nothing.
 */
export function sectionsFor(me: Me): Section[] {
  if (me.permissions.configure) return ['workflows', 'runs', 'apps', 'restrictions', 'contacts', 'settings'];
  if (me.permissions.superviseAgents) return ['restrictions', 'contacts', 'runs'];
  return [];
}

interface Props { me: Me; serverUrl: string; offline?: string }

/** The console's frame: who is connected, the sections the role may use, the current page. */
export function Shell({ me, serverUrl, offline }: Props) {
  const client = useQueryClient();
  const route = useHashRoute();
  const sections = sectionsFor(me);
  const requested = route[0] as Section | undefined;
  const section = requested && sections.includes(requested) ? requested : sections[0];
  const disconnect = useMutation({
    mutationFn: () => sendMessage('disconnect'),
    onSuccess: (state) => {
      // Another user may connect next: forget this one's data, keep the connection query observed.
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'connection' });
      client.setQueryData(['connection'], state);
    },
  });
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand"><span aria-hidden="true">⚡</span> Inbox Companion</span>
        {sections.length > 0 && (
          <nav aria-label="Sections">
            {sections.map((s) => (
              <a key={s} href={`#/${s}`} aria-current={s === section ? 'page' : undefined}>{LABELS[s]}</a>
            ))}
          </nav>
        )}
        <span className="spacer" />
        <span className="who">{me.user.name} · {me.user.role} · <span className="muted">{serverUrl}</span></span>
        <button type="button" className="small" onClick={() => disconnect.mutate()}>Disconnect</button>
      </header>
      {offline && <p className="notice warn" role="status">{offline}</p>}
      <main className="content">
        {!section && (
          <div className="empty panel">
            <h2>Nothing to configure</h2>
            <p>You are signed in as an agent. Use the shortcut launcher in your inbox; admins configure workflows and supervisors manage restrictions here.</p>
          </div>
        )}
        {section === 'workflows' && <WorkflowsRoute route={route} />}
        {section === 'runs' && <RunHistory configure={me.permissions.configure} />}
        {section === 'apps' && <MiniAppsPage />}
        {section === 'restrictions' && <RestrictionsPanel />}
        {section === 'contacts' && <ContactsPage serverUrl={serverUrl} />}
        {section === 'settings' && <SettingsPage me={me.user} serverUrl={serverUrl} />}
      </main>
    </div>
  );
}

function WorkflowsRoute({ route }: { route: string[] }) {
  const [, id, sub] = route[0] === 'workflows' ? route : [];
  if (!id) return <WorkflowsPage />;
  if (id === 'new') return <WorkflowEditorPage id={undefined} />;
  if (sub === 'runs') return <RunHistory workflowId={id} />;
  return <WorkflowEditorPage key={id} id={id} />;
}

function ContactsPage({ serverUrl }: { serverUrl: string }) {
  return (
    <section aria-labelledby="contacts-heading" className="settings">
      <div className="page-head"><h2 id="contacts-heading">Contacts</h2></div>
      <ContactSearch serverUrl={serverUrl} />
      <ContactImport />
    </section>
  );
}
