/**
 * Web page benchmark: time to first render of the diagram in headless Chromium for the generated estate
 * (VPCs collapsed into summaries, as the page starts on large estates), against the same page for the
 * smallest example in the same run; then the time to expand one VPC and to run a trace from the page.
 * Needs Chromium (VPCTWIN_CHROMIUM or /usr/bin/chromium); skipped with a message otherwise.
 */
import { performance } from 'node:perf_hooks';
import { CHROMIUM_ARGS, chromiumPath } from '../dist/web/render-png.js';
import { startServer } from '../dist/web/server.js';

async function firstRender(browser, model, query = '') {
  const server = await startServer(model, { port: 0 });
  try {
    // bypassCSP: Playwright's waitForFunction polls with eval, which the page's CSP (rightly) forbids.
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 }, bypassCSP: true });
    const t0 = performance.now();
    await page.goto(`${server.url}${query}`);
    await page.waitForFunction('window.vpctwin && window.vpctwin.ready === true && document.body.dataset.ready === "true"', undefined, { timeout: 120_000 });
    const wallMs = performance.now() - t0;
    // firstRenderMs: performance.now() in the page at Cytoscape's first frame, i.e. since navigation started.
    const inPage = await page.evaluate('({ firstRenderMs: window.vpctwin.firstRenderMs, nodes: window.vpctwin.cy.nodes().length, edges: window.vpctwin.cy.edges().length })');
    return { server, page, wallMs, ...inPage };
  } catch (e) {
    await server.close();
    throw e;
  }
}

export async function benchWeb(model, baselineModel, sample) {
  const executablePath = chromiumPath();
  if (!executablePath) return { skipped: 'Chromium not found (apt-get install chromium, or set VPCTWIN_CHROMIUM)' };
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    // Warm the browser (first launch costs are not the page's).
    const warm = await firstRender(browser, baselineModel);
    await warm.page.close();
    await warm.server.close();
    const base = await firstRender(browser, baselineModel);
    await base.page.close();
    await base.server.close();
    const big = await firstRender(browser, model);
    // Expanding one VPC: the page fetches the new picture and draws it.
    const vpc = [...model.vpcs.keys()][0];
    let t = performance.now();
    await big.page.evaluate(`(async () => { window.vpctwin.cy.getElementById(${JSON.stringify(vpc)}).emit('dbltap'); })()`);
    await big.page.waitForFunction(`window.vpctwin.cy.getElementById(${JSON.stringify(vpc)}).data('container') === true`, undefined, { timeout: 120_000 });
    const expandMs = performance.now() - t;
    // A trace from the form, to the verdict and highlight.
    let traceMs;
    if (sample) {
      const before = await big.page.evaluate('window.vpctwin.traceDone');
      await big.page.fill('#trace-form input[name="from"]', sample.from);
      await big.page.fill('#trace-form input[name="to"]', sample.to);
      await big.page.fill('#trace-form input[name="port"]', String(sample.port));
      t = performance.now();
      await big.page.click('#trace-run');
      await big.page.waitForFunction(`window.vpctwin.traceDone > ${before}`, undefined, { timeout: 120_000 });
      traceMs = performance.now() - t;
    }
    await big.page.close();
    await big.server.close();
    return {
      baseline: { vpcs: baselineModel.vpcs.size, firstRenderMs: base.firstRenderMs, nodes: base.nodes },
      estate: { vpcs: model.vpcs.size, firstRenderMs: big.firstRenderMs, wallMs: big.wallMs, nodes: big.nodes, edges: big.edges },
      ratio: big.firstRenderMs / base.firstRenderMs,
      expandMs,
      traceMs,
    };
  } finally {
    await browser.close();
  }
}
