import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { renderActivation } from '../render/activation.ts';
import type { ActivationViews } from '../render/views.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';

export interface CompileOptions extends CommonOptions {
  /** Folder for the rendered SQL; default target/ beside the config. */
  out?: string;
}

/** The views of one activation, rendered against the warehouse's columns. */
export function activationViews(project: Project, name: string): Promise<ActivationViews> {
  const { config, warehouse, renderer } = project;
  return renderActivation(config, name, renderer, warehouse.schema, (sql) => warehouse.columns(sql));
}

/** What deploy keeps of an activation's views, so that sync can tell when they no longer match the config. */
export function viewsFingerprint(views: ActivationViews): string {
  const hash = createHash('sha256');
  for (const sql of [views.prepared, views.outbound, views.rejected, views.sent]) hash.update(sql).update('\0');
  return hash.digest('hex');
}

/**
 * The statements deploy runs for the chosen activations, in order: the schema and capi-sync's tables
 * (unless `tables` is false: `run` creates them once before taking each activation's lock), then each
 * activation's views, dropped and created.
 */
export async function plan(project: Project, { tables = true } = {}): Promise<{ statements: string[]; views: Record<string, ActivationViews> }> {
  const { warehouse, renderer: r, state } = project;
  const views: Record<string, ActivationViews> = {};
  for (const name of project.activations) views[name] = await activationViews(project, name);
  const drops = Object.values(views).flatMap((v) => [v.sent, v.outbound, v.rejected, v.prepared])
    .map((sql) => r.macro('drop_view', { schema: warehouse.schema, name: viewName(sql) }))
    // A dialect that replaces its views in place, keeping their grants (Snowflake), renders no drop.
    .filter((sql) => sql !== '');
  const creates = Object.values(views).flatMap((v) => [v.prepared, v.outbound, v.rejected, v.sent]);
  const setup = tables ? [r.macro('create_schema', { schema: warehouse.schema }), ...state.ddl()] : [];
  return { statements: [...setup, ...drops, ...creates], views };
}

/** Writes the rendered SQL to target/<activation>/ so it can be read and reviewed before deploy. */
export async function compile(options: CompileOptions): Promise<void> {
  await withProject(options, async (project) => {
    const { statements, views } = await plan(project);
    const out = options.out ?? join(project.config.dir, 'target');
    for (const [name, v] of Object.entries(views)) {
      await mkdir(join(out, name), { recursive: true });
      for (const [kind, sql] of Object.entries(v)) await writeFile(join(out, name, `${kind}.sql`), `${sql};\n`);
    }
    await writeFile(join(out, 'deploy.sql'), statements.map((s) => `${s};\n`).join('\n'));
    project.log.info(`compiled ${Object.keys(views).length} activation(s) into ${relative(process.cwd(), out) || '.'}/ (deploy.sql has every statement)`);
  });
}

function viewName(createSql: string): string {
  const match = /create (?:or replace )?view\s+\S+?\.(?:"((?:[^"]|"")+)"|`([^`]+)`)/i.exec(createSql);
  if (!match) throw new Error(`cannot find the view name in: ${createSql.slice(0, 80)}`);
  return (match[1] ?? match[2]).replaceAll('""', '"');
}
