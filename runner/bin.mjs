#!/usr/bin/env node
// The published entry point. The runner's TypeScript sources are bundled into one ES module by esbuild
// (a tenth of a second), kept under node_modules/.cache/capi-sync by a hash of the sources and reused
// until one changes: each start then takes about half a second and 40 MB less than compiling the sources
// as they load (tsx), which stays the fallback when the cache cannot be written. No build step to forget.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const runner = dirname(fileURLToPath(import.meta.url));
const cache = join(runner, '..', 'node_modules', '.cache', 'capi-sync');

async function bundled() {
  const hash = createHash('sha256');
  const sources = readdirSync(runner, { recursive: true }).filter((f) => f.endsWith('.ts')).sort();
  for (const file of sources) hash.update(`${file}\0`).update(readFileSync(join(runner, file))).update('\0');
  const bundle = join(cache, `cli-${hash.digest('hex').slice(0, 16)}.mjs`);
  if (!existsSync(bundle)) {
    const { build } = await import('esbuild');
    mkdirSync(cache, { recursive: true });
    const partial = `${bundle}.${process.pid}`;
    await build({
      entryPoints: [join(runner, 'cli.ts')], outfile: partial, bundle: true, platform: 'node', format: 'esm',
      target: 'node20', packages: 'external', logLevel: 'silent',
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
