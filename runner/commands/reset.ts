import { ConfigError } from '../errors.ts';
import { formatWatermark } from '../state/state.ts';
import { ensureState } from './deploy.ts';
import { withProject, type CommonOptions } from './project.ts';

export interface ResetOptions extends CommonOptions {
  /** New watermark cursor: events with a greater cursor are sent again. */
  to?: string;
  fromStart?: boolean;
}

/** Moves an activation's watermark back (or forward), so the next sync re-sends from there. */
export async function reset(activation: string, options: ResetOptions): Promise<void> {
  if (!options.to === !options.fromStart) throw new ConfigError('reset: give either --to <cursor> or --from-start');
  await withProject({ ...options, activation: [activation] }, async (project) => {
    const { state, log } = project;
    await ensureState(project);
    const before = await state.watermark(activation);
    // An empty event_id sorts before every id: every event at exactly that cursor is sent again.
    const after = options.to ? { cursor: options.to, event_id: '' } : null;
    await state.saveWatermark(activation, after);
    log.info(`${activation}: watermark ${formatWatermark(before) ?? 'start'} → ${formatWatermark(after) ?? 'start'}; the next sync sends from there (Snap drops duplicates by event_id for about 48 h)`);
  });
}
