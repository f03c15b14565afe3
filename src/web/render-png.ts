/**
 * PNG export: Chromium (through playwright-core) renders the SVG and takes a screenshot. Chromium is found at
 * VPCTWIN_CHROMIUM or /usr/bin/chromium (Debian's package); without it, PNG is refused with a clear message
 * and SVG remains available.
 */
import { existsSync } from 'node:fs';

export class PngRenderError extends Error {
  readonly code = 'PNG_RENDERER_MISSING';
}

export function chromiumPath(): string | undefined {
  const candidates = [process.env.VPCTWIN_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

/** The launch options every vpctwin use of Chromium shares: headless, no network chatter of its own. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function renderSvgToPng(svg: string): Promise<Buffer> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new PngRenderError('PNG export needs Chromium (Debian: apt-get install chromium, or set VPCTWIN_CHROMIUM); --format svg works without it');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const m = /width="(\d+)" height="(\d+)"/.exec(svg);
    const width = Math.min(16000, Number(m?.[1] ?? 1200));
    const height = Math.min(16000, Number(m?.[2] ?? 800));
    const page = await browser.newPage({ viewport: { width, height } });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return await page.screenshot({ type: 'png', fullPage: true });
  } finally {
    await browser.close();
  }
}
