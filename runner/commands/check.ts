import { withProject, type CommonOptions } from './project.ts';
import { plan } from './compile.ts';

/** Checks the config, the warehouse connection and that every activation renders against its columns. */
export async function check(options: CommonOptions): Promise<void> {
  await withProject(options, async (project) => {
    const { log, config, warehouse } = project;
    log.info(`config ${config.file}: ok`);
    await warehouse.query('select 1 as ok');
    log.info(`warehouse ${config.warehouse.type}: connected (schema ${warehouse.schema})`);
    await plan(project);
    log.info(`activations ${project.activations.join(', ')}: models and mappings render`);
    log.info(`snapchat endpoint: ${config.snapchat.endpoint}${config.snapchat.access_token ? ' (token set)' : ''}`);
  });
}
