import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import type { Dialect, Warehouse } from './types.ts';
import { bigqueryDialect } from './bigquery.ts';
import { pgliteDialect } from './pglite.ts';
import { postgresDialect } from './postgres.ts';
import { snowflakeDialect } from './snowflake.ts';

export type { Dialect, Warehouse, Row, Lock } from './types.ts';

const dialects = { pglite: pgliteDialect, postgres: postgresDialect, snowflake: snowflakeDialect, bigquery: bigqueryDialect } satisfies Record<LoadedConfig['warehouse']['type'], Dialect>;

/** The dialect of the configured warehouse: enough to render SQL, without connecting. */
export function dialectOf(config: Pick<LoadedConfig, 'warehouse'>): Dialect {
  return dialects[config.warehouse.type];
}

/**
 * Connects to the configured warehouse. Each driver is imported only when its warehouse is used: the
 * adapter modules imported above load no driver until they connect.
 */
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
    case 'snowflake': {
      const { openSnowflake } = await import('./snowflake.ts');
      return openSnowflake(w, config.dir);
    }
    case 'bigquery': {
      const { openBigQuery } = await import('./bigquery.ts');
      return openBigQuery(w, config.dir);
    }
  }
}
