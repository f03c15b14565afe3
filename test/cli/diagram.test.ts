/** `vpctwin diagram` and `vpctwin serve` argument handling through the CLI entry. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-snapshot.js';
import { runCli } from './run-cli.js';

const LAB = 'examples/flowlogs-lab';

describe('vpctwin diagram', () => {
  it.each([
    ['mermaid', /^flowchart LR\n/],
    ['dot', /^graph vpctwin \{\n/],
    ['drawio', /^<\?xml version="1.0" encoding="UTF-8"\?>\n<mxfile /],
    ['svg', /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /],
  ])('--format %s writes the picture with the lab instances', async (format, start) => {
    const r = await runCli(['diagram', '--snapshot', LAB, '--format', format]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(start);
    expect(r.stdout).toContain('lab-a');
    expect(r.stdout).toContain('lab-b');
  });

  it('--format png renders the SVG in Chromium to a PNG file', async () => {
    const out = join(tempDir('diagram'), 'lab.png');
    const r = await runCli(['diagram', '--snapshot', LAB, '--format', 'png', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const png = readFileSync(out);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR width and height: the size of the SVG (its layout plus margins).
    expect(png.readUInt32BE(16)).toBeGreaterThan(300);
  }, 60_000);

  it.each([
    [['--format', 'jpeg'], /--format: "jpeg" is not one of svg, png, mermaid, dot, drawio/],
    [['--format', 'png'], /--format png: give --out FILE/],
    [['--expand', 'vpc-0bogus'], /--expand: vpc-0bogus is not a VPC of the snapshot/],
  ])('bad arguments %j: one line, exit 2', async (args, message) => {
    const r = await runCli(['diagram', '--snapshot', LAB, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('vpctwin serve arguments', () => {
  it.each([
    [['--port', 'http'], /--port: "http" is not a port number/],
    [['--port', '70000'], /--port: "70000" is not a port number/],
    [['--flow-logs', 'no/such/file.log'], /--flow-logs: no\/such\/file.log does not exist/],
    [['--overlay', 'no/such/overlay.yaml'], /overlay/],
  ])('%j: one line, exit 2', async (args, message) => {
    const r = await runCli(['serve', '--snapshot', LAB, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
