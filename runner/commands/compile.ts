import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { renderActivation } from '../render/activation.ts';
import type { ActivationViews } from '../render/views.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';

export interface CompileOptions extends CommonOptions {
  /** Folder for the rendered SQL; default target/ beside the config. */
  out?: string;
}

/** The statements deploy runs for the chosen activations, in order. */
export async function plan(project: Project): Promise<{ statements: string[]; views: Record<string, ActivationViews> }> {
  const { config, warehouse, renderer: r, state } = project;
  const columnsOf = (sql: string) => warehouse.columns(sql);
  const views: Record<string, ActivationViews> = {};
  for (const name of project.activations) {
    views[name] = await renderActivation(config, name, r, warehouse.schema, columnsOf);
  }
  const drops = Object.values(views).flatMap((v) => [v.outbound, v.rejected, v.prepared])
    .map((sql) => r.macro('drop_view', { schema: warehouse.schema, name: viewName(sql) }))
    // A dialect that replaces its views in place, keeping their grants (Snowflake), renders no drop.
    .filter((sql) => sql !== '');
  const creates = Object.values(views).flatMap((v) => [v.prepared, v.outbound, v.rejected]);
  return { statements: [r.macro('create_schema', { schema: warehouse.schema }), ...state.ddl(), ...drops, ...creates], views };
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
