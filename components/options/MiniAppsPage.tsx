import { useState } from 'react';
import { AppCard } from './AppCard';
import { errorMessage } from './api';
import { useApps } from './queries';
import { RegisterApp } from './RegisterApp';

/** Installed and available mini-apps. */
export function MiniAppsPage() {
  const apps = useApps();
  // The deleted app's card is gone: say so where the list is.
  const [deleted, setDeleted] = useState<string>();
  const list = apps.data?.apps ?? [];
  const installed = list.filter((a) => a.installation);
  const available = list.filter((a) => !a.installation);
  return (
    <section aria-labelledby="apps-heading">
      <div className="page-head"><h2 id="apps-heading">Mini-apps</h2></div>
      <RegisterApp />
      {deleted && <p className="hint" role="status">{deleted} was deleted.</p>}
      {apps.isError && <p className="error" role="alert">{errorMessage(apps.error)}</p>}
      {apps.isSuccess && list.length === 0 && <p className="empty">No apps registered yet.</p>}
      {installed.length > 0 && <><h3>Installed</h3><div className="cards">{installed.map((a) => <AppCard key={a.id} app={a} onDeleted={setDeleted} />)}</div></>}
      {available.length > 0 && <><h3>Available</h3><div className="cards">{available.map((a) => <AppCard key={a.id} app={a} onDeleted={setDeleted} />)}</div></>}
    </section>
  );
}
