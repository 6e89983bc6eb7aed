import { runCli } from '../support/cli.ts';

/** One option as `capi-sync <command> --help` lists it. */
interface OptionSpec {
  flags: string[];
  /** `<value>` required, `[value]` optional, none for a switch. */
  value: 'required' | 'optional' | 'none';
  variadic: boolean;
  choices?: string[];
}

interface CommandSpec {
  options: OptionSpec[];
  /** Positional arguments: required ones first. */
  required: number;
  optional: number;
}

/** What the real CLI accepts, read from its own help, so the check follows the CLI as it changes. */
export interface CliSpec {
  commands: Map<string, CommandSpec>;
  /** Options of `capi-sync` itself (--version, --help). */
  top: CommandSpec;
}

async function help(args: string[]): Promise<string> {
  const result = await runCli([...args, '--help'], { env: { COLUMNS: '200' } });
  if (result.code !== 0) throw new Error(`capi-sync ${args.join(' ')} --help exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** The lines of one section of a help text (`Options:`, `Commands:`), continuation lines joined. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const entries: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    if (/^ {2}\S/.test(line)) entries.push(line.trim());
    else entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries;
}

function parseCommand(text: string): CommandSpec {
  const usage = /^Usage: \S+(?: \S+)? \[options\](.*)$/m.exec(text)?.[1] ?? '';
  const options = section(text, 'Options').map((entry): OptionSpec => {
    const [, flags, value = ''] = /^((?:-[\w-]+(?:, )?)+)(?: ([<[][^>\]]+[>\]]))?/.exec(entry)!;
    const choices = /\(choices: ([^)]*?)(?:, default: [^)]*)?\)/.exec(entry)?.[1];
    return {
      flags: flags.split(', '),
      value: value.startsWith('<') ? 'required' : value.startsWith('[') ? 'optional' : 'none',
      variadic: value.includes('...'),
      choices: choices?.split(', ').map((c) => JSON.parse(c) as string),
    };
  });
  return { options, required: (usage.match(/<[^>]+>/g) ?? []).length, optional: (usage.match(/\[[^\]]+\]/g) ?? []).length };
}

export async function readCliSpec(): Promise<CliSpec> {
  const top = await help([]);
  const names = section(top, 'Commands').map((entry) => entry.split(' ')[0]).filter((name) => name !== 'help');
  const commands = new Map<string, CommandSpec>();
  for (const name of names) commands.set(name, parseCommand(await help([name])));
  return { commands, top: parseCommand(top.replace(/^Usage: capi-sync \[options\] \[command\]/m, 'Usage: capi-sync [options]')) };
}

/** A value written as a placeholder in the docs (`<cursor>`, `FILE`, `…`), not a real one. */
function placeholder(value: string): boolean {
  return /[<>…]|^[A-Z_]+$/.test(value);
}

/**
 * The problems of one command line's arguments (after `capi-sync`) against the CLI: an unknown command or
 * option, a missing value, a value outside the option's choices, too many or too few arguments.
 */
export function argumentProblems(spec: CliSpec, args: string[]): string[] {
  const [first, ...rest] = args;
  const command = first === undefined || first.startsWith('-') ? spec.top : spec.commands.get(first);
  if (!command) return [`"${first}" is not a command (${[...spec.commands.keys()].join(', ')})`];
  const tokens = command === spec.top ? args : rest;
  const problems: string[] = [];
  let positional = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith('-') || token === '-') {
      positional++;
      continue;
    }
    const [flag, inline] = token.split(/=(.*)/s);
    const option = command.options.find((o) => o.flags.includes(flag));
    if (!option) {
      problems.push(`${flag} is not an option of ${first ?? 'capi-sync'}`);
      continue;
    }
    if (option.value === 'none') continue;
    const values: string[] = [];
    if (inline !== undefined) values.push(inline);
    else if (option.variadic) while (tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('-')) values.push(tokens[++i]);
    else if (tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('--')) values.push(tokens[++i]);
    if (values.length === 0 && option.value === 'required') problems.push(`${flag} needs a value`);
    for (const value of values) {
      if (option.choices && !placeholder(value) && !option.choices.includes(value)) problems.push(`${flag} ${value}: not one of ${option.choices.join(', ')}`);
    }
  }
  if (positional < command.required) problems.push(`${first} needs ${command.required} argument(s), got ${positional}`);
  if (positional > command.required + command.optional) problems.push(`${first} takes ${command.required + command.optional} argument(s), got ${positional}`);
  return problems;
}
