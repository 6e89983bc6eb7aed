import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { viewNames } from '../render/views.ts';
import { DEFAULT_DAYS } from '../report/format.ts';
import { renderReport, type ActivationReport } from '../report/page.ts';
import { History, type RunFigures } from '../state/history.ts';
import { isMissingObject } from '../state/state.ts';
import { heldBack } from './pending.ts';
import { withProject, type CommonOptions, type Project } from './project.ts';
import { scheduling } from './scheduling.ts';

export interface ReportOptions extends CommonOptions {
  /** The HTML file written; default target/report.html beside the config. */
  out?: string;
  /** Days of history shown, a whole number from 1; default 30. */
  days?: number;
}

/**
 * `capi-sync report`: one HTML file with each chosen activation's health over the last `days` days
 * (runs, held-back rows, match-key coverage, Snap's refusals, lag, schedule, alert status), counted in
 * the warehouse. The file needs no network: Chart.js, the styles and the data are inside it.
 */
export async function report(options: ReportOptions): Promise<void> {
  const days = options.days ?? DEFAULT_DAYS;
  await withProject(options, async (project) => {
    const history = new History(project.warehouse, project.renderer);
    const activations: ActivationReport[] = [];
    for (const name of project.activations) activations.push(await activationReport(project, history, name, days));
    const file = options.out ?? join(project.config.dir, 'target', 'report.html');
    const html = renderReport({ days, generatedAt: new Date(), warehouse: `${project.config.warehouse.type}, schema ${project.warehouse.schema}`, activations });
    await mkdir(dirname(file), { recursive: true });
    // Written whole, then renamed: a browser refreshing the file never reads half of it.
    await writeFile(`${file}.partial`, html);
    await rename(`${file}.partial`, file);
    const shown = relative(process.cwd(), file) || file;
    project.log.info(`wrote ${shown}: ${activations.length} activation(s), the last ${days} days (open it in a browser; it needs no network)`, { file: shown, days, activations: activations.map((a) => a.name), bytes: Buffer.byteLength(html) });
  });
}

async function activationReport(project: Project, history: History, name: string, days: number): Promise<ActivationReport> {
  const { state } = project;
  // capi-sync's tables must be there (else: deploy first, as status says); an activation's views may not be yet.
  const { watermark } = await state.read(name);
  const totals = await history.runTotals(name, days);
  const bucket = bucketSeconds(totals, days);
  return {
    name,
    watermark,
    totals,
    bucket,
    series: totals.runs > 0 ? await history.runSeries(name, days, bucket) : [],
    coverage: await history.coverage(name, days),
    heldBack: await heldBack(project, name).catch((error: unknown) => {
      if (isMissingObject(error)) return null;
      throw error;
    }),
    rejectedView: `${project.warehouse.schema}.${viewNames(name).rejected}`,
    refusals: await history.refusals(name, days),
    schedule: await scheduling(project, name),
    alert: await state.alertStatus(name),
  };
}

/** Round widths for the runs chart's bars, in seconds: a minute up to a week. */
const WIDTHS = [60, 300, 900, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];
/** Bars the runs chart draws at most, so that each stays wide enough to read on a laptop screen. */
const MAX_BARS = 120;

/** One bar per run (1 s) while they fit; past that, the narrowest round width that fits the period. */
export function bucketSeconds(totals: RunFigures, days: number): number {
  if (totals.runs <= MAX_BARS) return 1;
  return WIDTHS.find((width) => (days * 86_400) / width <= MAX_BARS) ?? WIDTHS.at(-1)!;
}
