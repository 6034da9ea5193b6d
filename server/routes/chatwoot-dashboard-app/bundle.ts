// How the Dashboard App page's script is built: one esbuild configuration for both paths.
// server/build.mjs writes it next to the built server (dist/dashboard-app/); the server run from
// sources (tests, `npm run dev:server`) builds it in memory on the first request, so it is never
// stale. The entry is the browser code in components/dashboard-app (named by path for the
// bundler: the server itself imports none of it). Erasable TypeScript only: build.mjs loads it
// with Node's type stripping.
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

export const DASHBOARD_APP_ENTRY = fileURLToPath(new URL('../../../components/dashboard-app/main.tsx', import.meta.url));

export function dashboardAppBuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: { app: DASHBOARD_APP_ENTRY },
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome110',
    jsx: 'automatic',
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    logLevel: 'warning',
  };
}
