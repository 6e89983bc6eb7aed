import { loadConfig, type LoadedConfig } from '../config/load.ts';
import { ConfigError } from '../errors.ts';
import { createLogger, type LogFormat, type Logger } from '../log.ts';
import { createRenderer, type Renderer } from '../render/render.ts';
import { StateStore } from '../state/state.ts';
import { dialectOf, openWarehouse, type Warehouse } from '../warehouse/index.ts';

/** Options every command takes. */
export interface CommonOptions {
  /** Path of activations.yml; default ./activations.yml. */
  config?: string;
  /** Only these activations; default all. */
  activation?: string[];
  logFormat?: LogFormat;
}

/** What a command works with: the config, the chosen activations, the warehouse and its renderer. */
export interface Project {
  config: LoadedConfig;
  activations: string[];
  warehouse: Warehouse;
  renderer: Renderer;
  state: StateStore;
  log: Logger;
}

export async function loadProject(options: CommonOptions): Promise<Omit<Project, 'warehouse' | 'state'>> {
  const config = await loadConfig(options.config);
  const known = Object.keys(config.activations);
  const unknown = (options.activation ?? []).filter((a) => !known.includes(a));
  if (unknown.length > 0) throw new ConfigError(unknown.map((a) => `--activation ${a}: no such activation; configured: ${known.join(', ')}`));
  const log = createLogger(options.logFormat);
  for (const warning of config.warnings) log.warn(warning);
  return { config, activations: options.activation?.length ? options.activation : known, renderer: createRenderer(dialectOf(config)), log };
}

/**
 * Runs `work` with the warehouse open, and closes it whatever happens. `adjust` changes the loaded config
 * before the warehouse opens (demo's scratch schema).
 */
export async function withProject<T>(options: CommonOptions, work: (project: Project) => Promise<T>, adjust?: (config: LoadedConfig) => LoadedConfig): Promise<T> {
  const loaded = await loadProject(options);
  return withWarehouse(adjust ? { ...loaded, config: adjust(loaded.config) } : loaded, work);
}

/** Opens the warehouse of a loaded project for `work`, and closes it whatever happens. */
export async function withWarehouse<T>(base: Omit<Project, 'warehouse' | 'state'>, work: (project: Project) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(base.config);
  try {
    return await work({ ...base, warehouse, state: new StateStore(warehouse, base.renderer) });
  } finally {
    await warehouse.close();
  }
}
