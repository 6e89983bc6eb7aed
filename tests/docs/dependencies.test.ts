import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { readPage } from './markdown.ts';
import { PENDING } from './pending.ts';

// docs/dependencies.md says why each package is there: one row per package of package.json, under the
// section it is installed in, and no row for a package that is not.

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<'dependencies' | 'devDependencies', Record<string, string>>;

/** Packages named in the first column of the tables of one section of the page. */
function documented(section: 'dependencies' | 'devDependencies'): string[] {
  const text = readPage('docs/dependencies.md');
  const start = text.indexOf(`\n## ${section}\n`);
  const end = text.indexOf('\n## ', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  return [...body.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([^`]+)`/g)].map((n) => n[1]));
}

it.each(['dependencies', 'devDependencies'] as const)('docs/dependencies.md explains every package of %s, and only those', (section) => {
  const installed = Object.keys(pkg[section]);
  const pending = documented(section).filter((name) => !installed.includes(name) && PENDING.packages.includes(name));
  if (pending.length > 0) console.warn(`SKIPPED: ${pending.join(', ')} not in package.json yet (tests/docs/pending.ts)`);
  expect(documented(section).filter((name) => !pending.includes(name)).sort()).toEqual(installed.sort());
});
