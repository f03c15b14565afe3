import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { layoutTopology, toDot, toDrawio, toMermaid, toSvg, topology } from '../analyses/topology.js';
import { PngRenderError, renderSvgToPng } from '../web/render-png.js';
import { UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

const FORMATS = ['svg', 'png', 'mermaid', 'dot', 'drawio'] as const;

export function registerDiagram(program: Command): void {
  program
    .command('diagram')
    .description('draw the estate for documents and runbooks: svg, png, mermaid, dot (Graphviz) or drawio')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--format <f>', FORMATS.join('|'), 'svg')
    .option('--expand <vpcs>', 'all, none, or VPC ids (comma-separated) drawn with their subnets; default: all up to 40 VPCs')
    .option('-o, --out <file>', 'write to a file (png needs one) instead of standard output')
    .action(async (opts: { snapshot?: string; format: string; expand?: string; out?: string }) => {
      const format = opts.format as (typeof FORMATS)[number];
      if (!FORMATS.includes(format)) throw new UsageError(`--format: "${opts.format}" is not one of ${FORMATS.join(', ')}`);
      if (format === 'png' && !opts.out) throw new UsageError('--format png: give --out FILE (PNG is binary)');
      const model = loadForCommand(opts.snapshot);
      const expand = opts.expand === undefined ? undefined : opts.expand === 'all' || opts.expand === 'none' ? opts.expand : opts.expand.split(',').filter(Boolean);
      for (const v of Array.isArray(expand) ? expand : []) if (!model.vpcs.has(v)) throw new UsageError(`--expand: ${v} is not a VPC of the snapshot`);
      const t = topology(model, expand ? { expand } : {});
      let out: string | Buffer;
      switch (format) {
        case 'mermaid':
          out = toMermaid(t);
          break;
        case 'dot':
          out = toDot(t);
          break;
        case 'drawio':
          out = toDrawio(t, layoutTopology(t));
          break;
        case 'svg':
          out = toSvg(t, layoutTopology(t));
          break;
        case 'png':
          out = await renderSvgToPng(toSvg(t, layoutTopology(t))).catch((e: unknown) => {
            throw e instanceof PngRenderError ? new UsageError(e.message) : e;
          });
          break;
      }
      if (opts.out) writeFileSync(opts.out, out);
      else process.stdout.write(out);
    });
}
