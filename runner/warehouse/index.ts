import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import type { Dialect, Warehouse } from './types.ts';
import { pgliteDialect } from './pglite.ts';
import { postgresDialect } from './postgres.ts';

export type { Dialect, Warehouse, Row, Lock } from './types.ts';

const dialects = { pglite: pgliteDialect, postgres: postgresDialect } satisfies Record<LoadedConfig['warehouse']['type'], Dialect>;

/** The dialect of the configured warehouse: enough to render SQL, without connecting. */
export function dialectOf(config: Pick<LoadedConfig, 'warehouse'>): Dialect {
  return dialects[config.warehouse.type];
}

/** Connects to the configured warehouse; each driver is imported only when its warehouse is used. */
export async function openWarehouse(config: Pick<LoadedConfig, 'warehouse' | 'dir'>): Promise<Warehouse> {
  const w = config.warehouse;
  switch (w.type) {
    case 'pglite': {
      const { openPglite } = await import('./pglite.ts');
      return openPglite({ path: resolve(config.dir, w.path), schema: w.schema, seeds: w.seeds && resolve(config.dir, w.seeds) });
    }
    case 'postgres': {
      const { openPostgres } = await import('./postgres.ts');
      return openPostgres(w);
    }
  }
}
