import { rdsArn, type RdsResourceType } from "../../domain/neptune/arn.js";
import { accessDeniedMessage, authorizeByIdentity } from "../../policy/index.js";
import { CommonErrors } from "../../protocol/errors.js";
import type { RequestContext } from "../service.js";

/**
 * The members that name the resource an operation acts on, in the order they decide it, and the ARN type each
 * names. Neptune's management actions are `rds:` actions on RDS ARNs [Neptune User Guide: "Neptune administrative
 * ARNs contain rds"; Service Authorization Reference: Amazon RDS, resource types per action]: CreateDBInstance acts
 * on the instance (its cluster is a second resource, not modelled), CopyDBClusterSnapshot on its source.
 */
const RESOURCE_MEMBERS: [string, RdsResourceType | "arn"][] = [
  ["ResourceName", "arn"],
  // ApplyPendingMaintenanceAction (and a DescribePendingMaintenanceActions for one resource) name it by ARN.
  ["ResourceIdentifier", "arn"],
  ["DBInstanceIdentifier", "db"],
  // Before DBClusterIdentifier: CreateDBClusterEndpoint names both and acts on the endpoint.
  ["DBClusterEndpointIdentifier", "cluster-endpoint"],
  ["DBClusterIdentifier", "cluster"],
  // After DBClusterIdentifier: CreateDBCluster joining a global database acts on the cluster.
  ["GlobalClusterIdentifier", "global-cluster"],
  ["DBClusterSnapshotIdentifier", "cluster-snapshot"],
  ["SourceDBClusterSnapshotIdentifier", "cluster-snapshot"],
  ["SnapshotIdentifier", "cluster-snapshot"],
  ["DBClusterParameterGroupName", "cluster-pg"],
  ["DBParameterGroupName", "pg"],
  ["DBSubnetGroupName", "subgrp"],
  ["SubscriptionName", "es"],
];

const NO_CONTEXT = Object.freeze({});

function resourceOf(input: Record<string, unknown>, ctx: RequestContext): string {
  for (const [member, type] of RESOURCE_MEMBERS) {
    const value = input[member];
    if (typeof value !== "string" || value === "") continue;
    // An ARN (a snapshot shared from another account) names itself.
    if (type === "arn" || value.startsWith("arn:")) return value;
    return rdsArn(ctx.region, ctx.principal.accountId, type, value);
  }
  return "*";
}

/**
 * Every Neptune management call is authorized by the caller's identity policies (and boundary, session policy),
 * read at the time of the request: `rds:<Operation>` on the resource it names, `*` when it names none (the
 * account-wide Describe calls). `rds:DatabaseEngine` is in the context when the input names an engine, as the
 * Neptune managed policies' conditions expect [NeptuneFullAccess: "rds:DatabaseEngine": ["graphdb", "neptune"]].
 * Root may do everything; the resource-side rules (a snapshot's restore attribute, a key's policy) stay with the
 * handlers.
 */
export function authorizeNeptune(operation: string, input: Record<string, unknown>, ctx: RequestContext): void {
  const { principal } = ctx;
  const action = `rds:${operation}`;
  const resource = resourceOf(input, ctx);
  // The global keys (aws:PrincipalArn …) are laid under the context by the evaluation itself (evaluatePolicy).
  const context = typeof input.Engine === "string" ? { "rds:DatabaseEngine": input.Engine } : NO_CONTEXT;
  const result = authorizeByIdentity(principal, action, resource, context);
  if (!result.allowed) throw CommonErrors.accessDenied(accessDeniedMessage(principal, action, resource, result));
}
