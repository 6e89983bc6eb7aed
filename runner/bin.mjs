#!/usr/bin/env node
// The published entry point. The runner and the pure-JavaScript packages it uses are bundled into one
// ES module by esbuild (a second, once), kept under node_modules/.cache/capi-sync by a hash of the
// runner's sources (.ts, and the .json they import) and of npm's record of the installed packages, and reused until either changes: a
// start then takes about 0.35 s and 50 MB less than compiling the sources as they load (tsx), which
// stays the fallback when the cache cannot be written. No build step to forget. The warehouse drivers
// stay outside the bundle and load only when their warehouse is configured.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';

// After each full collection V8 lets the heap grow to up to 4× what survived when collecting is cheap. A
// sync's live heap is small and bounded (the batches that may be open), its garbage large (every payload
// read and posted): 1.5× keeps the peak RSS of a sync near 170 MB at any size, where 4× let it reach
// 260 MB, for a few percent more CPU in the runner (bench/results.md).
v8.setFlagsFromString('--heap-growing-percent=50');

const runner = dirname(fileURLToPath(import.meta.url));
const root = dirname(runner);
const cache = join(root, 'node_modules', '.cache', 'capi-sync');
const LAZY = ['@electric-sql/pglite', 'snowflake-sdk', '@google-cloud/bigquery', 'google-auth-library', 'pg-native'];

/** npm's record of what is installed (node_modules/.package-lock.json), here or in a project above. */
function installed() {
  for (let dir = root; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'node_modules', '.package-lock.json');
    if (existsSync(file)) return readFileSync(file);
  }
  return '';
}

async function bundled() {
  const hash = createHash('sha256').update(installed());
  const sources = readdirSync(runner, { recursive: true }).filter((f) => f.endsWith('.ts') || f.endsWith('.json')).sort();
  for (const file of sources) hash.update(`\0${file}\0`).update(readFileSync(join(runner, file)));
  const bundle = join(cache, `cli-${hash.digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(bundle)) {
    const { build } = await import('esbuild');
    mkdirSync(cache, { recursive: true });
    const partial = `${bundle}.${process.pid}`;
    await build({
      entryPoints: [join(runner, 'cli.ts')], outfile: partial, bundle: true, platform: 'node', format: 'esm',
      target: 'node20', external: LAZY, logLevel: 'silent',
      // The CommonJS packages inside (pg, handlebars) call require for Node's own modules.
      banner: { js: "import { createRequire as __capiSyncRequire } from 'node:module'; const require = __capiSyncRequire(import.meta.url);" },
    });
    renameSync(partial, bundle);
    for (const old of readdirSync(cache)) {
      if (old.startsWith('cli-') && old.endsWith('.mjs') && old !== basename(bundle)) rmSync(join(cache, old), { force: true });
    }
  }
  return bundle;
}

let entry;
try {
  entry = pathToFileURL(await bundled()).href;
} catch {
  const { register } = await import('tsx/esm/api');
  register();
  entry = './cli.ts';
}
await import(entry);
