import { ConfigError, ExitError, errorMessage } from '../errors.ts';
import { viewNames } from '../render/views.ts';
import { formatWatermark, type Watermark } from '../state/state.ts';
import { ensureState } from './deploy.ts';
import { pendingCount } from './pending.ts';
import { withProject, type CommonOptions } from './project.ts';
import { SKIPPED_EXIT_CODE } from './run.ts';

export interface ResetOptions extends CommonOptions {
  /** New watermark cursor: events with a greater cursor are sent again. */
  to?: string;
  fromStart?: boolean;
}

/**
 * Moves an activation's watermark, under its lock, and removes from the ledger the events past the new
 * watermark, so that the next sync really sends them again. `--to` is read as the cursor column's type
 * (a value it cannot hold changes nothing, exit 2). Recorded in capi_sync_runs as a `reset` run.
 */
export async function reset(activation: string, options: ResetOptions): Promise<void> {
  if (!options.to === !options.fromStart) throw new ConfigError('reset: give either --to <cursor> or --from-start');
  await withProject({ ...options, activation: [activation] }, async (project) => {
    const { state, log, warehouse: wh, renderer: r } = project;
    await ensureState(project);
    const prepared = viewNames(activation).prepared;
    // The view must be there before --to can be read as its cursor's type.
    const [cursor] = await wh.columns(`select ${r.quote('cursor')} from ${r.quote(wh.schema, prepared)}`).catch((error: unknown) => {
      throw new ExitError(1, `reset: cannot read ${wh.schema}.${prepared}: ${errorMessage(error).split('\n')[0]}; run \`capi-sync deploy\` first`);
    });
    const lock = await wh.tryLock(activation);
    if (!lock) throw new ExitError(SKIPPED_EXIT_CODE, `reset: another capi-sync is syncing ${activation} now; nothing was changed. Reset once it has finished.`);
    try {
      const before = await state.watermark(activation);
      let after: Watermark | null = null;
      if (options.to !== undefined) {
        const value = await state.cursorValue(prepared, options.to, cursor).catch((error: unknown) => {
          throw new ConfigError(`reset --to ${JSON.stringify(options.to)}: not a value of the cursor column (${cursor.type}): ${errorMessage(error).split('\n')[0]}; nothing was changed`);
        });
        // An empty event_id sorts before every id: every event at exactly that cursor is sent again.
        after = { cursor: value, event_id: '' };
      }
      const again = await state.reset(activation, prepared, after, cursor);
      const pending = await pendingCount(project, activation, { watermark: after, viewsFingerprint: null, ledgerPrunedAt: null });
      const note = `watermark ${formatWatermark(before) ?? 'start'} → ${formatWatermark(after) ?? 'start'}; ${again} event(s) sent before will be sent again, ${pending} event(s) in all are to send`;
      await state.recordRun(activation, { status: 'reset', before, after, note });
      log.info(`${activation}: ${note}. The next sync sends them; Snap drops an event it already has by event_id (about 48 hours; a PURCHASE with an order_id about 30 days).`, {
        activation, watermark_before: formatWatermark(before), watermark_after: formatWatermark(after), sent_again: again, pending,
      });
    } finally {
      await lock.release();
    }
  });
}
