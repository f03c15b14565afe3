import type { Command } from 'commander';
import { effectiveTransitGatewayRoutes, effectiveVpcRoutes, type EffectiveRoute } from '../analyses/routes.js';
import { renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

export function registerRoutes(program: Command): void {
  program
    .command('routes')
    .description('effective routes of a VPC (all its route tables) or a transit gateway route table: which route wins for each prefix')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--vpc <id>', 'a VPC id')
    .option('--tgw-route-table <id>', 'a transit gateway route table id')
    .option('--json', 'JSON output')
    .action((opts: { snapshot?: string; vpc?: string; tgwRouteTable?: string; json?: boolean }) => {
      if (!opts.vpc === !opts.tgwRouteTable) throw new UsageError('give exactly one of --vpc ID or --tgw-route-table ID');
      const model = loadForCommand(opts.snapshot);
      let rows: EffectiveRoute[];
      if (opts.vpc) {
        if (!model.vpcs.has(opts.vpc)) throw new UsageError(`--vpc: ${opts.vpc} is not in the snapshot`);
        rows = [...model.routeTables.values()].filter((t) => t.vpcId === opts.vpc).flatMap((t) => effectiveVpcRoutes(model, t));
      } else {
        const t = model.transitGatewayRouteTables.get(opts.tgwRouteTable as string);
        if (!t) throw new UsageError(`--tgw-route-table: ${opts.tgwRouteTable} is not in the snapshot`);
        rows = effectiveTransitGatewayRoutes(model, t);
      }
      if (opts.json) {
        process.stdout.write(`${renderJson(rows)}\n`);
        return;
      }
      const headers = ['route table', 'destination', 'target', 'origin', 'status', 'reason'];
      process.stdout.write(`${renderTable(headers, rows.map((r) => [r.routeTableId, r.destination, r.target, r.derived ? `${r.origin} (derived)` : r.origin, r.status, [r.reason, r.derived].filter(Boolean).join('; ')]))}\n`);
    });
}
