import type { Command } from 'commander';
import { INVENTORY_TYPES, inventory, type InventoryType } from '../analyses/inventory.js';
import { renderCsv, renderJson, renderTable, UsageError } from './output.js';
import { loadForCommand } from './snapshot-option.js';

const HEADERS = ['type', 'id', 'name', 'account', 'region', 'vpc', 'address', 'state', 'detail'] as const;

export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description('list VPCs, subnets, instances, interfaces, public IPs, load balancers, endpoints, TGWs and peering across all accounts and regions')
    .option('-s, --snapshot <dir>', 'snapshot folder')
    .option('--type <types>', `comma-separated: ${INVENTORY_TYPES.join(', ')}`)
    .option('--account <id>', 'only this account')
    .option('--region <name>', 'only this region')
    .option('--vpc <id>', 'only this VPC')
    .option('--json', 'JSON output')
    .option('--csv', 'CSV output')
    .action((opts: { snapshot?: string; type?: string; account?: string; region?: string; vpc?: string; json?: boolean; csv?: boolean }) => {
      const types = opts.type
        ? opts.type.split(',').map((t) => {
            const v = t.trim();
            if (!(INVENTORY_TYPES as readonly string[]).includes(v))
              throw new UsageError(`--type: unknown type "${v}"; expected one of ${INVENTORY_TYPES.join(', ')}`);
            return v as InventoryType;
          })
        : undefined;
      const model = loadForCommand(opts.snapshot);
      const rows = inventory(model, { types, account: opts.account, region: opts.region, vpc: opts.vpc });
      if (opts.json) {
        process.stdout.write(`${renderJson(rows)}\n`);
        return;
      }
      const cells = rows.map((r) => HEADERS.map((h) => r[h]));
      process.stdout.write(`${opts.csv ? renderCsv(HEADERS, cells) : renderTable(HEADERS, cells)}\n`);
    });
}
