// How the inbox page's TypeScript (server/inbox/src) becomes the modules the browser loads from
// /inbox/assets/. One esbuild configuration for both paths: server/build.mjs writes them next to
// the built server, and the server run from sources (tests, `npm run dev:server`) builds them in
// memory on the first request (see server/routes/inbox/index.ts).
//
// Each source file stays its own module (imports between them are left as `./x.js`), so the
// browser caches and revalidates them one by one as before; zod/mini is bundled into wire.js,
// the only module that imports it. Kept to erasable TypeScript: build.mjs loads it with Node's
// type stripping.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

export const INBOX_SRC_DIR = fileURLToPath(new URL('./src/', import.meta.url));

/** `./api.js` inside src/ points at a sibling module that is built on its own. */
const siblingsStayModules: Plugin = {
  name: 'inbox-sibling-modules',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) =>
      path.resolve(args.resolveDir) === path.resolve(INBOX_SRC_DIR) ? { path: args.path, external: true } : undefined);
  },
};

export function inboxBuildOptions(outdir: string): BuildOptions {
  return {
    entryPoints: readdirSync(INBOX_SRC_DIR).filter((f) => f.endsWith('.ts')).map((f) => path.join(INBOX_SRC_DIR, f)),
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    plugins: [siblingsStayModules],
    logLevel: 'warning',
  };
}
