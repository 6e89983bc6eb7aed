import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { LoadedConfig } from '../config/load.ts';
import { ConfigError, WarehouseError, errorMessage } from '../errors.ts';
import type { Column } from '../warehouse/types.ts';
import type { Renderer } from './render.ts';
import { mappingColumns, modelColumns, renderViews, type ActivationViews } from './views.ts';

/** Answers the columns of a select: the warehouse, asked without reading rows. */
export type ColumnsOf = (selectSql: string) => Promise<Column[]>;

/**
 * Renders one activation's views. A model's columns, and a source's, are read from the warehouse so
 * that a missing column is reported by name before any view is created.
 */
export async function renderActivation(config: LoadedConfig, name: string, r: Renderer, schema: string, columnsOf: ColumnsOf): Promise<ActivationViews> {
  const a = config.activations[name];
  if (!a) throw new ConfigError(`--activation ${name}: no such activation; configured: ${Object.keys(config.activations).join(', ')}`);
  if (a.model) {
    const file = resolve(config.dir, a.model);
    const sql = await readFile(file, 'utf8').catch(() => {
      throw new ConfigError(`activations.${name}.model: cannot read ${a.model} (relative to ${config.dir})`);
    });
    // A model is one select, read inside `select * from (<model>) as q`: a trailing ; breaks that.
    if (/;\s*$/.test(sql)) throw new ConfigError(`activations.${name}.model: ${a.model} ends with ";"; a model is one select statement: remove the semicolon`);
    const columns = modelColumns(name, (await columnsOf(sql).catch((error: unknown) => {
      throw asConfigError(error, `activations.${name}.model: ${a.model} does not run as a select`);
    })).map((c) => c.name));
    if (a.cursor) await checkColumns(name, [['cursor', a.cursor]], columnsOf, sql, a.model);
    return renderViews(r, { name, schema, activation: a, sourceSql: sql, columns });
  }
  const sourceSql = `select * from ${r.quote(...a.source!.split('.'))}`;
  const wanted = Object.entries(a.mapping!).map(([field, column]) => [`mapping.${field}`, column] as const);
  await checkColumns(name, a.cursor ? [...wanted, ['cursor', a.cursor]] : wanted, columnsOf, sourceSql, a.source!);
  return renderViews(r, { name, schema, activation: a, sourceSql, columns: mappingColumns(a.mapping!) });
}

async function checkColumns(name: string, wanted: readonly (readonly [string, string])[], columnsOf: ColumnsOf, sql: string, what: string): Promise<void> {
  const available = (await columnsOf(sql).catch((error: unknown) => {
    throw asConfigError(error, `activations.${name}: cannot read ${what}`);
  })).map((c) => c.name);
  const missing = wanted.filter(([, column]) => !available.includes(column));
  if (missing.length > 0) {
    throw new ConfigError(missing.map(([key, column]) => `activations.${name}.${key}: column ${column} not found in ${what} (its columns: ${available.join(', ')})`));
  }
}

/** The warehouse refused the user's SQL: a config problem (exit 2), unless the warehouse was unreachable. */
function asConfigError(error: unknown, what: string): Error {
  if (error instanceof WarehouseError && error.unreachable) return error;
  return new ConfigError(`${what}: ${errorMessage(error).split('\n')[0]}`);
}
