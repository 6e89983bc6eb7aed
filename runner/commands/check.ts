import { SnapApiError } from '../errors.ts';
import { describe } from '../snap/answers.ts';
import { Batcher, MAX_PAYLOAD_BYTES } from '../snap/batches.ts';
import { SnapClient } from '../snap/client.ts';
import { plan } from './compile.ts';
import { pendingEvents } from './pending.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';
import { withTarget } from './target.ts';

export interface CheckOptions extends CommonOptions {
  /** Also post a sample of pending events to Snap's /events/validate (nothing is recorded). */
  validate?: boolean;
}

/** Events posted to /events/validate per activation. */
const SAMPLE = 50;

/** Checks the config, the warehouse connection and that every activation renders against its columns. */
export async function check(options: CheckOptions): Promise<void> {
  await withProject(options, async (project) => {
    const { log, config, warehouse } = project;
    log.info(`config ${config.file}: ok`);
    await warehouse.query('select 1 as ok');
    log.info(`warehouse ${config.warehouse.type}: connected (schema ${warehouse.schema})`);
    await plan(project);
    log.info(`activations ${project.activations.join(', ')}: models and mappings render`);
    log.info(`snapchat endpoint: ${config.snapchat.endpoint}${config.snapchat.access_token ? ' (token set)' : ''}`);
    if (options.validate) await validate(project);
  });
}

/** Snap's validate endpoint checks events as the real one does and records nothing as a conversion. */
async function validate(project: Project): Promise<void> {
  const { log, config } = project;
  await withTarget(project, async (target) => {
    for (const name of project.activations) {
      const { first } = await pendingEvents(project, name, SAMPLE);
      if (first.length === 0) {
        log.info(`${name}: nothing past the watermark to validate (deploy first, or there is nothing new)`);
        continue;
      }
      const a = config.activations[name];
      const client = new SnapClient({ endpoint: target.endpoint, pixelId: a.pixel_id, token: target.token, testEventCode: a.test_event_code, validate: true });
      try {
        await client.send(new Batcher(client.envelope, first.length, MAX_PAYLOAD_BYTES, 0).cut(first)[0]);
        log.info(`${name}: Snap validated ${first.length} pending event(s): VALID (nothing recorded)`);
      } catch (error) {
        if (!(error instanceof SnapApiError)) throw error;
        log.error(`${name}: Snap's validation of ${first.length} pending event(s) failed: ${error.body ? describe(error.body) : error.message}`);
        for (const entry of eventLogs(error)) log.error(`  event ${entry.event}: ${(entry.errors ?? []).join('; ')}`);
        throw error;
      } finally {
        await client.close();
      }
    }
  });
}

function eventLogs(error: SnapApiError): { event?: number; status?: string; errors?: string[] }[] {
  const logs = (error.body as { event_logs?: unknown } | undefined)?.event_logs;
  return Array.isArray(logs) ? logs.filter((l) => l?.status !== 'VALID') : [];
}
