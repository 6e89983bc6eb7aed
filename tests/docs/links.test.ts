import { existsSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { anchors, docPages, relativeLinks } from './markdown.ts';
import { PENDING } from './pending.ts';

// Every relative link of the README, docs/ and the examples leads somewhere: the file exists, and a
// #fragment names a heading of the page it points to (GitHub's anchors).

const links = docPages().flatMap((page) => relativeLinks(page).map((link) => [page, link] as const));

it('finds the links', () => {
  expect(links.length).toBeGreaterThan(30);
});

it.each(links)('%s → %s', (page, link) => {
  const [path, fragment] = link.split('#');
  const target = path === '' ? page : normalize(join(dirname(page), path));
  if (!existsSync(join(ROOT, target)) && PENDING.files.includes(target)) {
    console.warn(`SKIPPED: ${target} is not in this branch yet (tests/docs/pending.ts)`);
    return;
  }
  expect(existsSync(join(ROOT, target)), `${target} does not exist`).toBe(true);
  if (fragment !== undefined) {
    expect(target.endsWith('.md'), `${link}: a #fragment only names a heading of a .md page`).toBe(true);
    expect([...anchors(target)], `${target} has no heading #${fragment}`).toContain(fragment);
  }
});
