// The server as `npm start` and the benchmark run it: server/ in one ESM file, dependencies left
// in node_modules. Running the sources through tsx costs ~8% more CPU per webhook (its transform
// keeps function names with a helper call for every closure created), and a deployment should
// not compile TypeScript at start anyway. Tests keep running the sources.
// The built-in inbox page's modules are built here too, into dist/inbox/ (server/inbox/bundle.ts).
import { build } from 'esbuild';
import { inboxBuildOptions } from './inbox/bundle.ts';
import { dashboardAppBuildOptions } from './routes/chatwoot-dashboard-app/bundle.ts';

// server/ in one ESM file; dependencies stay in node_modules.
const serverBundle = (entry, outfile) => build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  // The inbox's files, from where the bundle sits (see server/routes/inbox/index.ts).
  define: {
    INBOX_PUBLIC_DIR: JSON.stringify('../server/inbox/public/'),
    INBOX_SCRIPTS_DIR: JSON.stringify('./inbox/'),
    DASHBOARD_APP_DIR: JSON.stringify('./dashboard-app/'),
  },
  logLevel: 'warning',
});

await Promise.all([
  serverBundle('server/main.ts', 'dist/server.mjs'),
  // The executor thread (COMPANION_EXECUTOR_THREAD=1), beside the bundle that starts it.
  serverBundle('server/engine/executor/thread-main.ts', 'dist/executor-thread.mjs'),
  build(inboxBuildOptions('dist/inbox')),
  // The Chatwoot Dashboard App page's script (React, the launcher, the forms, the API client).
  build(dashboardAppBuildOptions('dist/dashboard-app')),
]);
