/**
 * vpctwin command line: a thin layer over the library. Usage errors print one line and exit 2; unexpected
 * failures print one line (set VPCTWIN_DEBUG=1 for the stack) and exit 3.
 */
import { Command, CommanderError } from 'commander';
import { registerCollect } from './collect-command.js';
import { registerDiagram } from './diagram-command.js';
import { registerDiff } from './diff-command.js';
import { registerExposure } from './exposure-command.js';
import { registerFind } from './find-command.js';
import { registerFlowLogs } from './flowlogs-command.js';
import { registerInventory } from './inventory-command.js';
import { registerResolve } from './resolve-command.js';
import { registerRoutes } from './routes-command.js';
import { registerScope } from './scope-command.js';
import { registerServe } from './serve-command.js';
import { registerTrace } from './trace-command.js';
import { UsageError } from './output.js';
import { registerValidate } from './validate-command.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('vpctwin')
    .description('Offline digital twin of AWS VPC networking')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(`vpctwin: ${str.replace(/^error: /, '')}`) });
  registerInventory(program);
  registerFind(program);
  registerTrace(program);
  registerRoutes(program);
  registerResolve(program);
  registerFlowLogs(program);
  registerExposure(program);
  registerDiff(program);
  registerScope(program);
  registerValidate(program);
  registerServe(program);
  registerDiagram(program);
  registerCollect(program);
  const override = (c: Command): void => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  program.commands.forEach(override);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`vpctwin: ${e.message}\n`);
      return 2;
    }
    const err = e as Error;
    process.stderr.write(`vpctwin: internal error: ${err.message}\n`);
    if (process.env.VPCTWIN_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
    return 3;
  }
}
