/** Variants of examples/flowlogs-lab that the flow-log tests build with copyExample/editSnapshot. */
import { loadSnapshot } from '../../../src/ingest/load-snapshot.js';
import type { NetworkModel } from '../../../src/model/network.js';
import { copyExample, editSnapshot } from '../../helpers/temp-snapshot.js';

/** flowlogs-lab with lab-sg admitting ssh and a NACL that admits ssh in but denies ephemeral ports out. */
export function naclVariant(): NetworkModel {
  const dir = copyExample('flowlogs-lab');
  editSnapshot(dir, 'SecurityGroups', (doc) => {
    for (const g of doc.SecurityGroups) if (g.GroupName === 'lab-sg') g.IpPermissions = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];
  });
  editSnapshot(dir, 'NetworkAcls', (doc) => {
    for (const acl of doc.NetworkAcls)
      acl.Entries = [
        { RuleNumber: 100, Egress: false, RuleAction: 'allow', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } },
        { RuleNumber: 100, Egress: true, RuleAction: 'deny', Protocol: '6', CidrBlock: '0.0.0.0/0', PortRange: { From: 1024, To: 65535 } },
        { RuleNumber: 32767, Egress: false, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
        { RuleNumber: 32767, Egress: true, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0' },
      ];
  });
  return loadSnapshot(dir);
}
