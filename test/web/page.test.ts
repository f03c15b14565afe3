/**
 * End to end: the page in Debian's Chromium, driven by Playwright, against `startServer` on the
 * hub-spoke-privatelink example (with its overlay, as in the README). Chromium must be installed
 * (`.ci/run` installs Debian's package); without it these tests fail with a message saying so.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOverlay } from '../../src/analyses/overlay.js';
import { loadSnapshot } from '../../src/ingest/load-snapshot.js';
import { CHROMIUM_ARGS, chromiumPath } from '../../src/web/render-png.js';
import { startServer, type RunningServer } from '../../src/web/server.js';

const EXAMPLE = 'examples/hub-spoke-privatelink';
const OUT = 'test-output';
/** The page answers asynchronously; a loaded CI machine may take seconds. */
const POLL = { timeout: 15_000, interval: 100 };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: install Debian\'s chromium package (apt-get install chromium) or set VPCTWIN_CHROMIUM');
  server = await startServer(loadSnapshot(EXAMPLE), { port: 0, overlay: loadOverlay(join(EXAMPLE, 'overlay.yaml')), snapshotName: 'hub-spoke-privatelink' });
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  mkdirSync(OUT, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openTrace(page: Page, query: string): Promise<void> {
  // Each step fails on its own (naming the selector) well before the test's own timeout.
  page.setDefaultTimeout(20_000);
  await page.setViewportSize({ width: 1500, height: 900 });
  await page.goto(`${server.url}?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
}

/** Labels (first line) of the diagram's nodes that carry a class. */
function nodesWith(page: Page, cls: string): Promise<string[]> {
  return page.evaluate(`window.vpctwin.cy.nodes('.${cls}').map((n) => n.data('label').split('\\n')[0])`);
}

describe('web page (Chromium)', { timeout: 90_000 }, () => {
  it('runs the vault trace from a shared URL and highlights endpoint → NLB → HAProxy → Vault', async () => {
    const page = await browser.newPage();
    await openTrace(page, 'from=spoke-bastion&to=vault.services.wd&protocol=tcp&port=443');
    await expect.poll(() => page.textContent('#trace-verdict'), POLL).toBe('REACHABLE');
    // The form shows the query of the URL, so the link can be shared and re-run.
    expect(await page.inputValue('#trace-form input[name="to"]')).toBe('vault.services.wd');
    const lit = await nodesWith(page, 'fwd');
    // The chain of the runbook: the spoke's interface endpoint, the hub's NLB node, an HAProxy, a Vault.
    expect(lit.some((l) => l.startsWith('endpoint vault-endpoint'))).toBe(true);
    expect(lit.some((l) => l.startsWith('vault-nlb (network node)'))).toBe(true);
    expect(lit.some((l) => l.startsWith('haproxy-ingress'))).toBe(true);
    expect(lit.some((l) => l.startsWith('vault-'))).toBe(true);
    // The same path in words beside the diagram, in path order.
    const words = await page.$$eval('#path-nodes li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect([...words].sort()).toEqual([...lit].sort());
    expect(words[0]).toBe('spoke-bastion');
    const order = ['spoke-bastion', 'endpoint vault-endpoint', 'vault-nlb (network node)', 'haproxy-ingress'].map((p) => words.findIndex((w) => w.startsWith(p)));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > (order[k - 1] as number)))).toBe(true);
    // Hop list beside the diagram, both directions; PrivateLink edge lit.
    expect(await page.$$eval('#hops-forward li', (l) => l.length)).toBeGreaterThan(10);
    expect(await page.$$eval('#hops-return li', (l) => l.length)).toBeGreaterThan(5);
    expect(await page.evaluate(`window.vpctwin.cy.edges('.fwd[type = "privatelink"]').length`)).toBe(1);
    expect(await nodesWith(page, 'blocked')).toEqual([]);
    await page.waitForTimeout(500); // let the fit animation end (edges are hidden while the viewport moves)
    await page.screenshot({ path: join(OUT, 'web-trace.png') });
    await page.close();
  });

  it('a blocked trace shows the blocker in red with its explanation', async () => {
    const page = await browser.newPage();
    await openTrace(page, '');
    // Through the form this time: port 22 is not allowed by the endpoint's security group and has no NLB listener.
    await page.fill('#trace-form input[name="from"]', 'spoke-bastion');
    await page.fill('#trace-form input[name="to"]', 'vault.services.wd');
    await page.fill('#trace-form input[name="port"]', '22');
    await page.click('#trace-run');
    await expect.poll(() => page.textContent('#trace-verdict'), POLL).toBe('NOT REACHABLE');
    expect(page.url()).toContain('port=22');
    const blockers = await page.$$eval('.blocker', (b) => b.map((x) => x.textContent ?? ''));
    expect(blockers.some((b) => b.startsWith('ENI_SG_RULES_MISMATCH') && b.includes('vault-endpoint-sg'))).toBe(true);
    expect(blockers.some((b) => b.startsWith('ELBV2_LISTENERS_MISMATCH'))).toBe(true);
    // Red on the diagram: the endpoint interface whose security group drops port 22, and the NLB node.
    const red = await nodesWith(page, 'blocked');
    expect(red.some((l) => l.startsWith('endpoint vault-endpoint'))).toBe(true);
    expect(red.some((l) => l.startsWith('vault-nlb'))).toBe(true);
    // Drawn in red, over the endpoint's own colour.
    expect(await page.evaluate(`window.vpctwin.cy.getElementById('eni-0a094ee735d3500db').style('border-color')`)).toBe('rgb(198,40,40)');
    const hopColor = await page.evaluate(`getComputedStyle(document.querySelector('#hops-forward li.bad')).color`);
    expect(hopColor).toBe('rgb(183, 28, 28)');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(OUT, 'web-blocked.png') });
    await page.close();
  });

  it('collapses an account into one node, and a trace through it opens it again', async () => {
    const page = await browser.newPage();
    await openTrace(page, '');
    // `void`: the collection emit() returns is not worth serialising back (seconds for Cytoscape's object graph).
    await page.evaluate(`void window.vpctwin.cy.getElementById('account:209876543210').emit('tap')`);
    await page.waitForSelector('#tab-details button:has-text("Collapse this account")');
    await page.click('#tab-details button:has-text("Collapse this account")');
    await expect.poll(() => page.evaluate(`window.vpctwin.cy.getElementById('account:209876543210').data('collapsed')`), POLL).toBe(true);
    expect(await page.evaluate(`window.vpctwin.cy.getElementById('vpc-076a8773670043f09').length`)).toBe(0);
    await page.click('nav button[data-tab="trace"]');
    await page.fill('#trace-form input[name="from"]', 'spoke-bastion');
    await page.fill('#trace-form input[name="to"]', 'vault.services.wd');
    await page.fill('#trace-form input[name="port"]', '443');
    await page.click('#trace-run');
    await expect.poll(() => page.textContent('#trace-verdict'), POLL).toBe('REACHABLE');
    expect(await page.evaluate(`window.vpctwin.cy.getElementById('vpc-076a8773670043f09').length`)).toBe(1);
    expect((await nodesWith(page, 'fwd')).some((l) => l.startsWith('vault-nlb (network node)'))).toBe(true);
    await page.close();
  });

  it('details, search, exposure and flow-log explain work from the page', async () => {
    const page = await browser.newPage();
    await openTrace(page, '');
    await page.fill('#search', '10.210.240.144');
    await page.click('#search-form button');
    await expect.poll(() => nodesWith(page, 'found'), POLL).toEqual(['endpoint vault-endpoint']);
    // A name only the spoke VPC's resolver knows: resolved as that VPC would, its three endpoint interfaces found.
    await page.fill('#search', 'vault.services.wd');
    await page.click('#search-form button');
    await expect.poll(() => nodesWith(page, 'found'), POLL).toEqual(['endpoint vault-endpoint', 'endpoint vault-endpoint', 'endpoint vault-endpoint']);
    expect(await page.textContent('#summary')).toContain('vault.services.wd → ');
    await page.fill('#search', '10.210.240.144');
    await page.click('#search-form button');
    await expect.poll(() => nodesWith(page, 'found'), POLL).toEqual(['endpoint vault-endpoint']);
    // Searching opened the details of the interface: its security group rules and the subnet's NACL.
    await expect.poll(() => page.textContent('#tab-details'), POLL).toContain('Security group sg-0df78229b134dbbf0 (vault-endpoint-sg)');
    expect(await page.textContent('#tab-details')).toContain('Network ACL acl-');
    await page.click('nav button[data-tab="exposure"]');
    await page.click('#exposure-run');
    await expect.poll(() => page.textContent('#exposure-status'), POLL).toBe('nothing is reachable from the internet');
    await page.click('nav button[data-tab="flowlogs"]');
    await page.fill('#flowlogs-text', '2 210987654321 eni-0a094ee735d3500db 10.210.20.37 10.210.240.144 49152 22 6 3 180 1700000000 1700000060 REJECT OK');
    await page.click('#flowlogs-run');
    await expect.poll(() => page.textContent('#flowlogs-table tbody'), POLL).toContain('vault-endpoint-sg');
    expect(await page.textContent('#flowlogs-table tbody')).toContain('explained');
    await page.close();
  });

  it('an exposure finding shows its witness: the path from the internet to the ALB node, with its hops', async () => {
    const alb = await startServer(loadSnapshot('test/fixtures/alb-public'), { port: 0 });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(20_000);
      await page.goto(alb.url);
      await page.waitForSelector('body[data-ready="true"]');
      await page.click('nav button[data-tab="exposure"]');
      await page.click('#exposure-run');
      await expect.poll(() => page.$$eval('#exposure-table tbody tr', (r) => r.length), POLL).toBeGreaterThan(0);
      expect(await page.textContent('#exposure-table tbody tr')).toContain('web-alb');
      await page.click('#exposure-table tbody tr');
      await page.click('nav button[data-tab="trace"]');
      await expect.poll(() => page.textContent('#trace-verdict'), POLL).toBe('REACHABLE');
      const hops = await page.$$eval('#hops-forward li .what', (l) => l.map((x) => x.textContent ?? ''));
      // From the internet the packet enters at the VPC's internet gateway, which translates the public address.
      expect(hops[0]).toMatch(/^internet-gateway igw-/);
      expect(hops.some((h) => h.startsWith('load-balancer '))).toBe(true);
      expect((await nodesWith(page, 'fwd')).some((l) => l.startsWith('web-alb (application node)'))).toBe(true);
      await page.close();
    } finally {
      await alb.close();
    }
  });
});
