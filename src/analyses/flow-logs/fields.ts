/**
 * Flow log fields by version (shared/docs/vpc-flow-logs.md §1.2) and the default format. A record is one
 * line of space-separated values in the order of the flow log's format; `-` means "not applicable".
 */
export const FIELD_VERSIONS: Readonly<Record<string, number>> = {
  version: 2, 'account-id': 2, 'interface-id': 2, srcaddr: 2, dstaddr: 2, srcport: 2, dstport: 2, protocol: 2, packets: 2, bytes: 2, start: 2, end: 2, action: 2, 'log-status': 2,
  'vpc-id': 3, 'subnet-id': 3, 'instance-id': 3, 'tcp-flags': 3, type: 3, 'pkt-srcaddr': 3, 'pkt-dstaddr': 3,
  region: 4, 'az-id': 4, 'sublocation-type': 4, 'sublocation-id': 4,
  'pkt-src-aws-service': 5, 'pkt-dst-aws-service': 5, 'flow-direction': 5, 'traffic-path': 5,
  'ecs-cluster-arn': 7, 'ecs-cluster-name': 7, 'ecs-container-instance-arn': 7, 'ecs-container-instance-id': 7, 'ecs-container-id': 7, 'ecs-second-container-id': 7, 'ecs-service-name': 7, 'ecs-task-definition-arn': 7, 'ecs-task-arn': 7, 'ecs-task-id': 7,
  'reject-reason': 8, 'resource-id': 9, 'encryption-status': 10, 'interface-type': 11,
};

export const DEFAULT_FIELDS = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status'] as const;

export const DEFAULT_FORMAT = DEFAULT_FIELDS.map((f) => `\${${f}}`).join(' ');

/** Field names of a `${a} ${b}` format string, in order; undefined when it is not one. */
export function parseFormat(format: string): string[] | undefined {
  const parts = format.trim().split(/\s+/);
  const fields = parts.map((p) => /^\$\{([a-z0-9-]+)\}$/.exec(p)?.[1]);
  return fields.every((f): f is string => f !== undefined) && fields.length > 0 ? fields : undefined;
}

/** The version AWS writes for a format: the highest version among its fields (§1.1). */
export function formatVersion(fields: readonly string[]): number {
  return Math.max(2, ...fields.map((f) => FIELD_VERSIONS[f] ?? 2));
}
