/** Shell words of one line, as sh splits them: quotes removed, a `#` starting a word begins a comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unclosed quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Words that end a simple command: what follows is another command or a redirection. */
const SEPARATORS = new Set(['&&', '||', ';', '|', '>', '>>', '2>&1', '&']);

/** The simple commands of a shell script: continuation lines joined, a leading `$ ` prompt dropped, split at `&&`, `;`, `|`, `>`. */
export function simpleCommands(script: string): string[][] {
  const lines = script.replace(/\\\n/g, ' ').split('\n').map((l) => l.replace(/^\$ /, ''));
  const commands: string[][] = [];
  for (const line of lines) {
    let current: string[] = [];
    for (const word of shellWords(line)) {
      if (SEPARATORS.has(word)) {
        if (current.length) commands.push(current);
        current = [];
      } else current.push(word);
    }
    if (current.length) commands.push(current);
  }
  return commands;
}

/**
 * The arguments after capi-sync in a simple command, however it is started: `capi-sync …`,
 * `npx [--no-install] capi-sync …`, `node runner/bin.mjs …`, with `NAME=value` assignments before it.
 * Undefined when the command does not run capi-sync.
 */
export function capiSyncArgs(command: string[]): string[] | undefined {
  for (let i = 0; i < command.length; i++) {
    const word = command[i];
    // `node …/runner/bin.mjs` inside a longer command (docker run … node runner/bin.mjs serve).
    if (word.endsWith('runner/bin.mjs') && command[i - 1] === 'node') return command.slice(i + 1);
    if (word !== 'capi-sync' && !word.endsWith('/capi-sync')) continue;
    const before = command.slice(0, i).filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (before.every((w) => ['npx', '--no-install', 'exec'].includes(w) || w.endsWith('/npx'))) return command.slice(i + 1);
  }
  return undefined;
}

/** The npm script a simple command runs (`npm test`, `npm run bench -- --quick`), if any. */
export function npmScript(command: string[]): string | undefined {
  if (command[0] !== 'npm') return undefined;
  if (command[1] === 'test' || command[1] === 't') return 'test';
  if (command[1] === 'run' || command[1] === 'run-script') return command[2];
  return undefined;
}
