import type { JournalData } from "../migrate/journal.js";
import { buildPlan } from "../migrate/plan.js";
import type { ClusterFacts, Discovered, KeyFacts, MigrateInputs, SnapshotFacts } from "../migrate/types.js";

/**
 * The steps (title and rules, docs/rules.md) of a journal the console did not watch: the migrate plan's own step
 * definitions (src/migrate/plan.ts buildPlan, the one place that says which rules each step meets), asked with the
 * source's facts as far as the journal tells them. Only the facts that choose the rules matter here:
 * - encrypted: only an encrypted source has a `key-policy` step (R10), or a key this migration created;
 * - automated: the given snapshot is an automated one (`rds:` names are AWS's for those, R1);
 * - under aws/rds: the migration created a source key for it (--create-source-key, R3). *Decided*: an aws/rds
 *   source re-encrypted under --source-kms-key leaves no such trace, so its copy-to-cmk step shows no R3.
 * Nothing is called: the facts are the journal's, the plan's findings are not used.
 */
export function plannedSteps(data: JournalData): Map<string, { title: string; rules: string[] }> {
  const encrypted =
    data.keyPolicy !== undefined ||
    data.created.sourceKey !== undefined ||
    data.events.some((event) => event.step === "key-policy");
  const createdKey = data.created.sourceKey;
  const givenName = data.source.snapshot;
  const given: SnapshotFacts | undefined = givenName
    ? {
        DBClusterSnapshotIdentifier: givenName,
        DBClusterSnapshotArn: `arn:aws:rds:${data.region}:${data.source.account}:cluster-snapshot:${givenName}`,
        SnapshotType: givenName.startsWith("rds:") ? "automated" : "manual",
        Status: "available",
        StorageEncrypted: encrypted,
        Tags: [],
        SharedWith: [],
      }
    : undefined;
  const cluster: ClusterFacts = {
    DBClusterIdentifier: data.source.cluster ?? "",
    DBClusterArn: "",
    Status: "available",
    Engine: "neptune",
    StorageEncrypted: encrypted,
    VpcSecurityGroupIds: [],
    Members: [],
    Tags: [],
  };
  const sourceKey: KeyFacts | undefined = encrypted
    ? { Requested: "source", KeyManager: createdKey ? "AWS" : "CUSTOMER" }
    : undefined;
  const identity = (account: string) => ({ Account: account, Arn: `arn:aws:iam::${account}:root`, UserId: account });
  const found: Discovered = {
    region: data.region,
    targetRegion: data.targetRegion ?? data.region,
    partition: "aws",
    source: identity(data.source.account),
    target: identity(data.target.account),
    sourceCluster: cluster,
    ...(given ? { givenSnapshot: given } : {}),
    ...(sourceKey ? { sourceKey } : {}),
    ...(createdKey ? { createdSourceKey: { Requested: createdKey.alias, Arn: createdKey.arn } } : {}),
    targetKey: { Requested: "target" },
    targetInstances: [],
    targetParameterGroup: "unknown",
    targetSubnetGroup: "unknown",
  };
  const inputs: MigrateInputs = {
    source: {},
    target: {},
    region: data.region,
    ...(data.targetRegion ? { targetRegion: data.targetRegion } : {}),
    ...(data.source.cluster ? { sourceCluster: data.source.cluster } : {}),
    ...(givenName ? { sourceSnapshot: givenName } : {}),
    targetCluster: data.target.cluster,
    targetKmsKey: "target",
    ...(createdKey ? { createSourceKey: true } : {}),
  };
  const steps = new Map<string, { title: string; rules: string[] }>();
  try {
    for (const step of buildPlan(inputs, found).steps) steps.set(step.id, { title: step.title, rules: step.rules });
  } catch {
    // A journal the plan can't be asked about shows its steps without rules.
  }
  return steps;
}
