import { plan } from './compile.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';

/** Creates the schema, capi-sync's tables and each activation's views, replacing older views. */
export async function deployProject(project: Project): Promise<void> {
  const { statements, views } = await plan(project);
  await project.warehouse.execScript(statements);
  const schema = project.warehouse.schema;
  for (const name of Object.keys(views)) {
    project.log.info(`deployed ${name}: views ${schema}.${name}_outbound and ${schema}.${name}_rejected`, { activation: name });
  }
}

/** The schema and capi-sync's tables, created if missing; the lease of the cloud warehouses lives there. */
export async function ensureState(project: Project): Promise<void> {
  const { warehouse: wh, renderer: r, state } = project;
  await wh.execScript([r.macro('create_schema', { schema: wh.schema }), ...state.ddl()]);
}

export async function deploy(options: CommonOptions): Promise<void> {
  await withProject(options, deployProject);
}
