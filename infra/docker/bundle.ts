/**
 * Bundles one service's src/main.ts into services/<name>/dist/main.js for its container
 * image. The workspace packages (@orderflow/*) export TypeScript source, so they are
 * inlined; every third-party package stays an import that the image's production
 * node_modules answers, so native or dynamically loaded code (pg, knex dialects, pino
 * workers) behaves exactly as it does under `pnpm start`.
 *
 * Usage: node --import tsx infra/docker/bundle.ts <service folder name>
 */
import { build, type Plugin } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKSPACE_SCOPE = '@orderflow/';

/** Leaves every bare import external except the workspace's own packages. */
const thirdPartyExternal: Plugin = {
  name: 'third-party-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith(WORKSPACE_SCOPE) ? undefined : { path: args.path, external: true },
    );
  },
};

const service = process.argv[2];
const entry = service ? join(root, 'services', service, 'src', 'main.ts') : '';
if (!service || !existsSync(entry)) {
  console.error(`usage: bundle.ts <service>; no services/${service ?? '?'}/src/main.ts`);
  process.exit(1);
}

await build({
  entryPoints: [entry],
  outfile: join(root, 'services', service, 'dist', 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  // The oldest Node the workspace supports (package.json engines).
  target: 'node20',
  // Stack traces in the logs point at the TypeScript source (run with --enable-source-maps).
  sourcemap: true,
  plugins: [thirdPartyExternal],
  logLevel: 'warning',
});
