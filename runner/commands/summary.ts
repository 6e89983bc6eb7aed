import { formatWatermark } from '../state/state.ts';
import type { Project } from './project.ts';
import type { ActivationResult } from './sync.ts';

/** The run summary: what was sent, what was held back and why, and where the watermark is now. */
export function printResult(project: Project, r: ActivationResult): void {
  const { log } = project;
  const c = r.counts;
  const fields = { activation: r.activation, status: r.status, ...c, held_back: r.heldBack, seconds: Number(r.seconds.toFixed(3)), watermark: formatWatermark(r.after), warnings: r.warnings };
  if (r.status === 'skipped') {
    log.warn(`${r.activation}: skipped — ${r.error}`, fields);
    return;
  }
  const rate = r.seconds > 0 ? Math.round(c.sent / r.seconds) : 0;
  const lines = [
    `${r.activation}: ${r.status} — sent ${c.sent} event(s) in ${c.batches} batch(es) in ${r.seconds.toFixed(2)} s (${rate}/s)${c.retries ? `, ${c.retries} retr${c.retries === 1 ? 'y' : 'ies'}` : ''}`,
  ];
  const held = Object.entries(r.heldBack);
  if (held.length > 0) {
    lines.push(`  held back by the view: ${held.map(([reason, n]) => `${n} ${reason}`).join(', ')} (see ${project.warehouse.schema}.${r.activation}_rejected)`);
  }
  if (c.rejected_by_snap > 0) lines.push(`  refused by Snap: ${c.rejected_by_snap} (see ${project.warehouse.schema}.capi_sync_delivery_errors)`);
  lines.push(c.sent === 0 && c.rejected_by_snap === 0 && r.status === 'ok'
    ? `  nothing new past the watermark (${formatWatermark(r.after) ?? 'start'})`
    : `  watermark: ${formatWatermark(r.before) ?? 'start'} → ${formatWatermark(r.after) ?? 'start'}`);
  if (r.error) lines.push(`  ${r.status === 'interrupted' ? 'stopped' : 'error'}: ${r.error}`);
  const text = lines.join('\n');
  if (r.status === 'failed') log.error(text, fields);
  else if (r.status === 'interrupted') log.warn(text, fields);
  else log.info(text, fields);
  // Each fired warning is a line of its own, at warn level, so that a log collector can alert on it.
  for (const w of r.warnings) log.warn(w, { activation: r.activation, warning: true });
}
