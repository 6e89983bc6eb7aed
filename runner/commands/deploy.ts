import { plan, viewsFingerprint } from './compile.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';

/**
 * Creates the schema, capi-sync's tables and each activation's views, replacing older views, and keeps
 * each activation's views fingerprint with them (in the same transaction where the warehouse has one).
 */
export async function deployProject(project: Project, options: { tables?: boolean } = {}): Promise<void> {
  const { statements, views } = await plan(project, options);
  const fingerprints = Object.entries(views).map(([name, v]) => project.state.fingerprintStatement(name, viewsFingerprint(v)));
  await project.warehouse.execScript([...statements, ...fingerprints]);
  const schema = project.warehouse.schema;
  for (const name of Object.keys(views)) {
    project.log.info(`deployed ${name}: views ${schema}.${name}_outbound, _rejected and _sent`, { activation: name });
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
