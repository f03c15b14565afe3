/**
 * The flow-log field registry: every VPC Flow Logs field by version, its type, and what it means
 * (shared/docs/vpc-flow-logs.md §1.2, which cites AWS's field table for v2–v5, the CDK `LogFormat` class for
 * the v7 ECS fields, and secondary sources for v8–v11). One registry feeds the reader (validation), the
 * SQL schema (column types), the generator (which fields it can fill) and the docs.
 *
 * A record is one line of space-separated values in the order of the flow log's format; `-` means "not
 * applicable or not computed", in numeric fields too. `version` holds the highest version among the
 * fields of the format (§1.1).
 */

/** How a value is checked and typed: `int`/`bigint` are decimal digits; `enum` one of `values`; `ip` an address. */
export type FieldKind = 'int' | 'bigint' | 'string' | 'enum' | 'ip';

export interface FieldSpec {
  readonly name: string;
  readonly version: number;
  readonly kind: FieldKind;
  /** Allowed values of an `enum` field (besides `-`). */
  readonly values?: readonly string[];
  /** Inclusive upper bound of an `int` field (ports, protocol). */
  readonly max?: number;
  readonly description: string;
  /** Where the meaning comes from (tags of vpc-flow-logs.md §0). */
  readonly source: 'AWSDOC' | 'CDK' | 'BEATS' | 'AWS-ENC' | 'SEC';
}

const f = (name: string, version: number, kind: FieldKind, description: string, source: FieldSpec['source'] = 'AWSDOC', extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name,
  version,
  kind,
  description,
  source,
  ...extra,
});

/** Every field AWS documents, in AWS's table order. */
export const FIELDS: readonly FieldSpec[] = [
  f('version', 2, 'int', 'flow log version: the highest version among the fields of the format'),
  f('account-id', 2, 'string', 'account that owns the network interface (`unknown` for some AWS-service interfaces)'),
  f('interface-id', 2, 'string', 'network interface the traffic is recorded on'),
  f('srcaddr', 2, 'ip', "source address; on egress records the interface's primary private IPv4"),
  f('dstaddr', 2, 'ip', "destination address; on ingress records the interface's primary private IPv4"),
  f('srcport', 2, 'int', 'source port (0 for ICMP)', 'AWSDOC', { max: 65535 }),
  f('dstport', 2, 'int', 'destination port (0 for ICMP)', 'AWSDOC', { max: 65535 }),
  f('protocol', 2, 'int', 'IANA protocol number', 'AWSDOC', { max: 255 }),
  f('packets', 2, 'bigint', 'packets in the flow during the interval'),
  f('bytes', 2, 'bigint', 'bytes in the flow during the interval'),
  f('start', 2, 'bigint', 'Unix seconds of the first packet of the flow in the interval'),
  f('end', 2, 'bigint', 'Unix seconds of the last packet of the flow in the interval'),
  f('action', 2, 'enum', 'ACCEPT or REJECT', 'AWSDOC', { values: ['ACCEPT', 'REJECT'] }),
  f('log-status', 2, 'enum', 'OK, NODATA (no traffic in the interval) or SKIPDATA (records skipped)', 'AWSDOC', { values: ['OK', 'NODATA', 'SKIPDATA'] }),
  f('vpc-id', 3, 'string', 'VPC of the interface'),
  f('subnet-id', 3, 'string', 'subnet of the interface'),
  f('instance-id', 3, 'string', 'instance of the interface if you own it (`-` for requester-managed interfaces)'),
  f('tcp-flags', 3, 'int', 'OR of the TCP flags seen in the interval: FIN 1, SYN 2, RST 4, SYN-ACK 18', 'AWSDOC', { max: 255 }),
  f('type', 3, 'enum', 'IPv4, IPv6 or EFA', 'AWSDOC', { values: ['IPv4', 'IPv6', 'EFA'] }),
  f('pkt-srcaddr', 3, 'ip', 'packet-level (original) source address'),
  f('pkt-dstaddr', 3, 'ip', 'packet-level (original) destination address'),
  f('region', 4, 'string', 'Region of the interface'),
  f('az-id', 4, 'string', 'Availability Zone id of the interface (`-` in sublocations)'),
  f('sublocation-type', 4, 'enum', 'wavelength, outpost or localzone', 'AWSDOC', { values: ['wavelength', 'outpost', 'localzone'] }),
  f('sublocation-id', 4, 'string', 'id of the sublocation'),
  f('pkt-src-aws-service', 5, 'string', 'ip-ranges.json service subset of pkt-srcaddr (public addresses only)'),
  f('pkt-dst-aws-service', 5, 'string', 'ip-ranges.json service subset of pkt-dstaddr (public addresses only)'),
  f('flow-direction', 5, 'enum', 'ingress or egress, relative to the interface', 'AWSDOC', { values: ['ingress', 'egress'] }),
  f('traffic-path', 5, 'int', 'egress path: 1 same-VPC resource, 2 internet gateway or gateway endpoint, 3 virtual private gateway, 4 intra-region peering, 5 inter-region peering, 6 local gateway, 7 gateway endpoint (Nitro), 8 internet gateway (Nitro)', 'AWSDOC', { max: 255 }),
  f('ecs-cluster-arn', 7, 'string', 'ECS cluster ARN', 'CDK'),
  f('ecs-cluster-name', 7, 'string', 'ECS cluster name', 'CDK'),
  f('ecs-container-instance-arn', 7, 'string', 'ECS container-instance ARN (ECS on EC2)', 'CDK'),
  f('ecs-container-instance-id', 7, 'string', 'ECS container-instance id (ECS on EC2)', 'CDK'),
  f('ecs-container-id', 7, 'string', 'Docker id of the first container of the task', 'CDK'),
  f('ecs-second-container-id', 7, 'string', 'Docker id of the second container of the task', 'CDK'),
  f('ecs-service-name', 7, 'string', 'ECS service name', 'CDK'),
  f('ecs-task-definition-arn', 7, 'string', 'ECS task-definition ARN', 'CDK'),
  f('ecs-task-arn', 7, 'string', 'ECS task ARN', 'CDK'),
  f('ecs-task-id', 7, 'string', 'ECS task id', 'CDK'),
  f('reject-reason', 8, 'string', 'reason for a REJECT other than a security group or NACL: BPA (VPC Block Public Access), EC (VPC Encryption Controls)', 'BEATS'),
  f('resource-id', 9, 'string', 'resource the record belongs to (a regional NAT gateway, whose interface-id is `-`)', 'SEC'),
  f('encryption-status', 10, 'int', '0 clear, 1 Nitro-encrypted, 2 application-encrypted, 3 both', 'AWS-ENC', { max: 3 }),
  f('instance-tag', 11, 'string', 'value of the first chosen instance tag (percent-encoded)', 'SEC'),
  f('instance-tag-2', 11, 'string', 'value of the second chosen instance tag', 'SEC'),
  f('interface-tag', 11, 'string', 'value of the first chosen interface tag', 'SEC'),
  f('interface-tag-2', 11, 'string', 'value of the second chosen interface tag', 'SEC'),
  f('asg-tag', 11, 'string', 'value of the first chosen Auto Scaling group tag', 'SEC'),
  f('asg-tag-2', 11, 'string', 'value of the second chosen Auto Scaling group tag', 'SEC'),
  f('interface-type', 11, 'string', 'type of the interface: nat_gateway, network_load_balancer, regional_nat_gateway, transit_gateway, vpc_endpoint', 'SEC'),
  f('next-hop-interface-id', 11, 'string', 'next-hop interface of the flow (egress: the receiver; ingress: the sender)', 'SEC'),
  f('next-hop-subnet-id', 11, 'string', 'subnet of the next-hop interface', 'SEC'),
  f('next-hop-az-id', 11, 'string', 'Availability Zone id of the next-hop interface', 'SEC'),
  f('next-hop-vpc-id', 11, 'string', 'VPC of the next-hop interface', 'SEC'),
  f('next-hop-interface-type', 11, 'string', 'type of the next-hop interface', 'SEC'),
];

export const FIELD_BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(FIELDS.map((x) => [x.name, x]));

/** Kept for callers that only need the version of a field. */
export const FIELD_VERSIONS: Readonly<Record<string, number>> = Object.fromEntries(FIELDS.map((x) => [x.name, x.version]));

/** The default format: the 14 version-2 fields in table order; it cannot be changed (§1.1). */
export const DEFAULT_FIELDS = ['version', 'account-id', 'interface-id', 'srcaddr', 'dstaddr', 'srcport', 'dstport', 'protocol', 'packets', 'bytes', 'start', 'end', 'action', 'log-status'] as const;

export const DEFAULT_FORMAT = formatString(DEFAULT_FIELDS);

/** `${a} ${b} …` for a list of fields. */
export function formatString(fields: readonly string[]): string {
  return fields.map((x) => `\${${x}}`).join(' ');
}

const FIELD_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Field names of a format: a `${a} ${b}` string (the `LogFormat` syntax), or a bare list of names as in an
 * S3 header line (`version account-id …`). Undefined when it is neither or names nothing.
 */
export function parseFormat(format: string): string[] | undefined {
  const parts = format.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return undefined;
  const dollar = parts.map((p) => /^\$\{([a-z0-9-]+)\}$/.exec(p)?.[1]);
  if (dollar.every((x): x is string => x !== undefined)) return dollar;
  return parts.every((p) => FIELD_NAME.test(p)) ? parts : undefined;
}

/** Fields of a format AWS does not document (kept and read as text). */
export function unknownFields(fields: readonly string[]): string[] {
  return fields.filter((x) => !FIELD_BY_NAME.has(x));
}

/** The version AWS writes for a format: the highest version among its fields (§1.1). */
export function formatVersion(fields: readonly string[]): number {
  let v = 2;
  for (const x of fields) v = Math.max(v, FIELD_BY_NAME.get(x)?.version ?? 2);
  return v;
}

/** SQL column of a field: `-` becomes `_` (`interface-id` → `interface_id`), as in AWS's Athena and Parquet schemas. */
export function columnName(field: string): string {
  return field.replace(/-/g, '_');
}

/** Field of a SQL or Parquet column (`interface_id` → `interface-id`). */
export function fieldOfColumn(column: string): string {
  return column.replace(/_/g, '-');
}

/** True when a line is an S3 header: every word a field name, at least one of them documented, none an id. */
export function isHeaderLine(words: readonly string[]): boolean {
  if (words.length === 0) return false;
  let known = 0;
  for (const w of words) {
    if (FIELD_BY_NAME.has(w)) known++;
    else if (!FIELD_NAME.test(w) || /^[a-z]+-[0-9a-f]{8,}$/.test(w)) return false;
  }
  return known * 2 >= words.length;
}
