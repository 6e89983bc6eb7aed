import type { Project } from '../../runner/commands/project.ts';
import { loadConfig } from '../../runner/config/load.ts';
import type { Fields, Logger } from '../../runner/log.ts';
import { createRenderer } from '../../runner/render/render.ts';
import { StateStore } from '../../runner/state/state.ts';
import { dialectOf, openWarehouse } from '../../runner/warehouse/index.ts';

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields?: Fields;
}

/** A project opened in this process as a command opens it, its log lines kept for the test to read. */
export interface OpenProject extends Project {
  lines: LogLine[];
  /** The messages logged at `level`. */
  logged(level: LogLine['level']): string[];
}

/**
 * Loads `file` (activations.yml) with `env` and opens its warehouse: what `capi-sync sync` works with,
 * without a child process, so that a mutation run (npm run mutate) sees the code it runs. Close it with
 * `project.warehouse.close()`.
 */
export async function openProject(file: string, env: NodeJS.ProcessEnv): Promise<OpenProject> {
  const config = await loadConfig(file, env);
  const warehouse = await openWarehouse(config);
  const renderer = createRenderer(dialectOf(config));
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (message: string, fields?: Fields) => {
    lines.push({ level, message, fields });
  };
  const log: Logger = { info: at('info'), warn: at('warn'), error: at('error') };
  return {
    config, activations: Object.keys(config.activations), warehouse, renderer, state: new StateStore(warehouse, renderer), log, lines,
    logged: (level) => lines.filter((l) => l.level === level).map((l) => l.message),
  };
}

/** Signals that never fire, and ones a test fires. */
export function signals(): { stop: AbortSignal; abort: AbortSignal; stopWith(reason: string): void; abortNow(): void } {
  const stop = new AbortController();
  const abort = new AbortController();
  return { stop: stop.signal, abort: abort.signal, stopWith: (reason) => stop.abort(reason), abortNow: () => abort.abort() };
}
