import { expect, it } from 'vitest';
import type { z } from 'zod';
import { configSchema } from '../../runner/config/schema.ts';
import { readPage } from './markdown.ts';

// docs/configuration.md is the reference of activations.yml: each key the schema accepts has a row in
// its section's tables, and each row names a key the schema accepts.

/** Every key path of a zod schema: `warehouse.url`, `activations.<name>.cursor`, … */
function keyPaths(schema: z.ZodType, path = '', out = new Set<string>()): Set<string> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  switch (def.type) {
    case 'object':
      for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) keyPaths(value, at(key), out.add(at(key)));
      break;
    case 'union':
      for (const option of def.options as z.ZodType[]) keyPaths(option, path, out);
      break;
    case 'record':
      keyPaths(def.valueType as z.ZodType, at('<name>'), out);
      break;
    case 'optional':
    case 'default':
    case 'prefault':
      keyPaths(def.innerType as z.ZodType, path, out);
      break;
    case 'pipe':
      keyPaths(def.in as z.ZodType, path, out);
      keyPaths(def.out as z.ZodType, path, out);
      break;
  }
  return out;
}

/** The key names in the first column of the tables of a `## section` of the page (up to the next one). */
function rows(section: string): string[] {
  const text = readPage('docs/configuration.md');
  const start = text.indexOf(`\n## ${section}\n`);
  expect(start, `docs/configuration.md has a section "## ${section}"`).toBeGreaterThan(0);
  const end = text.indexOf('\n## ', start + 1);
  return [...text.slice(start, end < 0 ? undefined : end).matchAll(/^\| ([^|]+) \|/gm)]
    .flatMap((m) => [...m[1].matchAll(/`([^`]+)`/g)].map((n) => n[1]));
}

const keys = [...keyPaths(configSchema)];
/** The schema's keys under `prefix`, named as the section's tables name them (the prefix dropped). */
const under = (prefix: string, leaves: (name: string) => boolean = () => true) =>
  keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)).filter(leaves).sort();

const sections: [string, string[]][] = [
  // A key whose value is an object is documented by its keys.
  ['warehouse', under('warehouse.')],
  ['snapchat', under('snapchat.', (k) => k !== 'retry')],
  ['activations', under('activations.<name>.', (k) => !k.startsWith('warnings.'))],
  ['schedule and warnings', under('activations.<name>.warnings.')],
];

it.each(sections)('## %s: a row per key of the schema, and no row for a key it does not have', (section, expected) => {
  expect(expected.length).toBeGreaterThan(0);
  expect([...new Set(rows(section))].sort()).toEqual(expected);
});

it('## defaults: the same warnings and schedule as an activation, nothing else', () => {
  expect(under('defaults.', (k) => !k.includes('.'))).toEqual(['schedule', 'warnings']);
  expect(under('defaults.warnings.')).toEqual(under('activations.<name>.warnings.'));
});
