import { SERVED_PARTITION } from "../../auth/regions.js";
import { validIdentifier, type IdentifierParameter } from "./identifiers.js";

/**
 * Neptune's management ARNs are RDS ARNs (Neptune User Guide, "Amazon Neptune ARNs": they contain `rds`, not
 * `neptune-db`): `arn:aws:rds:REGION:ACCOUNT:TYPE:NAME`. An automated cluster snapshot's NAME keeps its `rds:`
 * prefix (`…:cluster-snapshot:rds:my-cluster-2019-07-22-16-16`).
 */

export type RdsResourceType =
  | "cluster"
  | "db"
  | "cluster-snapshot"
  | "snapshot"
  | "cluster-pg"
  | "pg"
  | "subgrp"
  | "es"
  | "cluster-endpoint"
  | "global-cluster";

export interface RdsArn {
  partition: string;
  region: string;
  accountId: string;
  type: string;
  name: string;
}

/** A global database belongs to no Region: its ARN's Region field is empty (`arn:aws:rds::ACCOUNT:global-cluster:NAME`). */
export function rdsArn(region: string, accountId: string, type: RdsResourceType, name: string): string {
  const where = type === "global-cluster" ? "" : region;
  return `arn:${SERVED_PARTITION}:rds:${where}:${accountId}:${type}:${name}`;
}

export const clusterArn = (region: string, accountId: string, id: string) => rdsArn(region, accountId, "cluster", id);
export const instanceArn = (region: string, accountId: string, id: string) => rdsArn(region, accountId, "db", id);
export const clusterSnapshotArn = (region: string, accountId: string, id: string) =>
  rdsArn(region, accountId, "cluster-snapshot", id);

const ARN = /^arn:([^:]*):rds:([a-z0-9-]+):(\d{12}):([a-z-]+):(.+)$/;

/**
 * The parts of an RDS ARN of the served partition, or undefined when `value` is not one. The one place Neptune
 * reads ARNs: an ARN of another partition (`aws-cn`, `aws-us-gov`, `aws-xyz`) names nothing Trident holds, so
 * every caller answers it as for an ARN it does not know (not-found faults; tagging's "does not match an RDS
 * resource in this region"), never as the caller's `aws` resource of the same name.
 */
export function parseRdsArn(value: string): RdsArn | undefined {
  const match = ARN.exec(value);
  if (!match || match[1] !== SERVED_PARTITION) return undefined;
  const [, partition, region, accountId, type, name] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { partition, region, accountId, type, name };
}

/**
 * The name in `value` when it names a resource of `type` in the caller's own (account, region): a plain name as
 * given, or the name part of such an ARN. Undefined when the ARN names another account, region or resource type:
 * only snapshots are ever reachable from another account, so the caller answers its not-found fault for it, as
 * for any name it does not hold.
 */
export function ownName(
  value: string,
  type: RdsResourceType,
  scope: { accountId: string; region: string },
): string | undefined {
  if (!value.startsWith("arn:")) return value;
  const arn = parseRdsArn(value);
  if (!arn || arn.type !== type || arn.accountId !== scope.accountId || arn.region !== scope.region) return undefined;
  return arn.name;
}

/** A cluster or instance as a caller names it (see ownName): its stored (validated, lowercase) identifier. */
export function ownIdentifier(
  value: string,
  type: "cluster" | "db",
  scope: { accountId: string; region: string },
  parameter: IdentifierParameter,
): string | undefined {
  const name = ownName(value, type, scope);
  return name === undefined ? undefined : validIdentifier(name, parameter);
}
