import type { Command } from 'commander';
import { loadOverlay, OverlayError } from '../analyses/overlay.js';
import { startServer } from '../web/server.js';
import { UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';
import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve a web page that draws the estate and runs traces, exposure and flow-log explanations (binds 127.0.0.1)')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--port <n>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <addr>', 'address to bind; anything but loopback exposes the snapshot to the network', '127.0.0.1')
    .option('--overlay <file>', 'service overlay YAML/JSON for traces (docs/overlays.md)')
    .option('--flow-logs <paths...>', 'flow-log files or folders the page can explain')
    .action(async (opts: { snapshot?: string; port: string; host: string; overlay?: string; flowLogs?: string[] }) => {
      if (!/^\d+$/.test(opts.port) || Number(opts.port) > 65535) throw new UsageError(`--port: "${opts.port}" is not a port number (0-65535)`);
      let overlay;
      if (opts.overlay) {
        try {
          overlay = loadOverlay(opts.overlay);
        } catch (e) {
          if (e instanceof OverlayError) throw new UsageError(e.message);
          throw e;
        }
      }
      for (const f of opts.flowLogs ?? []) if (!existsSync(f)) throw new UsageError(`--flow-logs: ${f} does not exist`);
      const model = loadForCommand(opts.snapshot);
      const running = await startServer(model, {
        port: Number(opts.port),
        host: opts.host,
        snapshotName: basename(resolve(opts.snapshot as string)),
        ...(overlay ? { overlay } : {}),
        ...(opts.flowLogs ? { flowLogs: opts.flowLogs } : {}),
      }).catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot listen on ${opts.host}:${opts.port} (${e.code ?? e.message})`);
      });
      if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1')
        process.stderr.write(`vpctwin: warning: listening on ${opts.host}: anyone who can reach this address can read the snapshot\n`);
      process.stderr.write(`vpctwin: serving ${opts.snapshot} at ${running.url} (Ctrl-C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          void running.close().then(done);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
