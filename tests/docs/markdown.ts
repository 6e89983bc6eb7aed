import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/cli.ts';

/** The pages users read: the README, docs/ and the examples' READMEs, as paths from the repository root. */
export function docPages(): string[] {
  const under = (dir: string): string[] => existsSync(join(ROOT, dir))
    ? readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => join(dir, f)).sort()
    : [];
  return ['README.md', ...under('docs'), ...under('examples')];
}

export function readPage(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

export interface CodeBlock {
  page: string;
  /** The word after the opening fence (`sh`, `yaml`, …), or '' for none. */
  lang: string;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks of a page. */
export function codeBlocks(page: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = readPage(page).split('\n');
  let open: { lang: string; line: number; indent: string; body: string[] } | undefined;
  lines.forEach((line, i) => {
    const fence = /^(\s*)```(\S*)\s*$/.exec(line);
    if (!open && fence) open = { lang: fence[2], line: i + 1, indent: fence[1], body: [] };
    else if (open && fence && fence[2] === '') {
      blocks.push({ page, lang: open.lang, text: open.body.map((l) => l.slice(open!.indent.length)).join('\n'), line: open.line });
      open = undefined;
    } else open?.body.push(line);
  });
  return blocks;
}

/** The page's prose: its text with the fenced code blocks blanked (line numbers kept). */
export function prose(page: string): string {
  let inside = false;
  return readPage(page).split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      inside = !inside;
      return '';
    }
    return inside ? '' : line;
  }).join('\n');
}

/** Inline code spans of the prose, with markdown's `\|` (a pipe inside a table cell) read as `|`. */
export function inlineCode(page: string): string[] {
  return [...prose(page).matchAll(/`([^`\n]+)`/g)].map((m) => m[1].replaceAll('\\|', '|'));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes; repeats get -1, -2. */
export function anchors(page: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const m of prose(page).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1].replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

/** Relative links of the prose: `[text](target)`, without web and mail addresses. */
export function relativeLinks(page: string): string[] {
  return [...prose(page).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

export function fromRoot(path: string): string {
  return relative(ROOT, path);
}
