import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it), driven by playwright-core: no
 * browser is downloaded. CAPI_SYNC_TEST_CHROMIUM names another executable.
 */
const CANDIDATES = [process.env.CAPI_SYNC_TEST_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));

async function launchable(): Promise<{ path: string } | { reason: string }> {
  const path = CANDIDATES.find((p) => existsSync(p));
  if (!path) return { reason: `no Chromium at ${CANDIDATES.join(' or ')} (apt-get install chromium, or set CAPI_SYNC_TEST_CHROMIUM)` };
  try {
    const browser = await chromium.launch({ executablePath: path });
    await browser.close();
    return { path };
  } catch (error) {
    return { reason: `Chromium at ${path} does not start: ${(error as Error).message.split('\n')[0]}` };
  }
}

const found = await launchable();
export const chromiumPath = 'path' in found ? found.path : undefined;
if (!chromiumPath) console.warn(`SKIPPED: the browser tests: ${'reason' in found ? found.reason : ''}`);

/** A page opened from a file, with everything it asked of the network and every error it logged. */
export interface OpenedPage {
  page: Page;
  /** URLs the page requested, the file itself included. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Dialogs the page opened (alert, confirm): none is expected. */
  dialogs: string[];
  close(): Promise<void>;
}

/** Opens `file` in headless Chromium at a laptop's 1366×768. */
export async function openFile(file: string): Promise<OpenedPage> {
  const browser: Browser = await chromium.launch({ executablePath: chromiumPath });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const opened: OpenedPage = { page, requests: [], errors: [], dialogs: [], close: () => browser.close() };
  page.on('request', (request) => opened.requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') opened.errors.push(message.text());
  });
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('dialog', (dialog) => {
    opened.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return opened;
}
