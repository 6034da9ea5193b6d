// The server as `npm start` and the benchmark run it: server/ in one ESM file, dependencies left
// in node_modules. Running the sources through tsx costs ~8% more CPU per webhook (its transform
// keeps function names with a helper call for every closure created), and a deployment should
// not compile TypeScript at start anyway. Tests keep running the sources.
import { build } from 'esbuild';

await build({
  entryPoints: ['server/main.ts'],
  outfile: 'dist/server.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
  // The inbox's static pages, from where the bundle sits (see server/routes/inbox/index.ts).
  define: { INBOX_PUBLIC_DIR: JSON.stringify('../server/inbox/public/'), DASHBOARD_APP_DIR: JSON.stringify('./dashboard-app/') },
  logLevel: 'warning',
});

// The Chatwoot Dashboard App page's script (components/dashboard-app): React, the launcher, the
// forms, the API client, for a browser; the server serves it from dist/dashboard-app/.
await build({
  entryPoints: { app: 'components/dashboard-app/main.tsx' },
  outdir: 'dist/dashboard-app',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome110',
  jsx: 'automatic',
  minify: true,
  charset: 'ascii',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  logLevel: 'warning',
});
