// The server as `npm start` and the benchmark run it: server/ in one ESM file, dependencies left
// in node_modules. Running the sources through tsx costs ~8% more CPU per webhook (its transform
// keeps function names with a helper call for every closure created), and a deployment should
// not compile TypeScript at start anyway. Tests keep running the sources.
// The built-in inbox page's modules are built here too, into dist/inbox/ (server/inbox/bundle.ts).
import { build } from 'esbuild';
import { inboxBuildOptions } from './inbox/bundle.ts';
import { dashboardAppBuildOptions } from './routes/chatwoot-dashboard-app/bundle.ts';

await Promise.all([
  build({
    entryPoints: ['server/main.ts'],
    outfile: 'dist/server.mjs',
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
  }),
  build(inboxBuildOptions('dist/inbox')),
  // The Chatwoot Dashboard App page's script (React, the launcher, the forms, the API client).
  build(dashboardAppBuildOptions('dist/dashboard-app')),
]);
