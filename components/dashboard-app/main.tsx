import { createRoot } from 'react-dom/client';
import { DashboardApp } from './DashboardApp';
import '../../entrypoints/inbox.content/style.css';
import '../forms/shortcut-form.css';
import '../toast/toast.css';
import './dashboard-app.css';

// Entry of the Dashboard App page's bundle (built by server/build.mjs into dist/dashboard-app/).
createRoot(document.getElementById('root')!).render(<DashboardApp serverUrl={location.origin} />);
