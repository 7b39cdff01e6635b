import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeKeyCommand, GetKeyPolicyCommand, ListAliasesCommand, type KMSClient } from "@aws-sdk/client-kms";
import {
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ListTagsForResourceCommand,
  type DBClusterSnapshot,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { MigrationClients, SideClients } from "./clients.js";
import { NOT_FOUND, awsErrorCode, explainError, isAwsError, isUnsupported, unlessNotFound } from "./errors.js";
import {
  createdKeyAlias,
  isAwsManagedAlias,
  partitionOf,
  snapshotArn,
  sourceCmkSnapshotName,
  sourceManualSnapshotName,
  targetCopyName,
} from "./names.js";
import { readStreamsSetting } from "./live-discover.js";
import { DenialLog, intolerant, isAccessDenied, type Tolerate } from "./permissions-denials.js";
import { plannedInstances, transitKeyOf } from "./plan.js";
import type {
  CallerIdentity,
  ClusterFacts,
  Discovered,
  Existence,
  InstanceFacts,
  KeyFacts,
  MemberFacts,
  MigrateInputs,
  Side,
  SnapshotFacts,
  Tag,
} from "./types.js";

/**
 * Read-only inspection of both accounts through the SDK: who each side is (GetCallerIdentity, never a flag), the
 * source cluster or snapshot, its key and key policy, the target key, and whatever this migration's names already
 * hold on either side. Nothing here changes anything, so `plan` is safe to run at any time.
 */
export async function discover(inputs: MigrateInputs, clients: MigrationClients): Promise<Discovered> {
  const { source, target } = await callerIdentities(clients);
  try {
    return await discoverAs(inputs, clients, source, target);
  } catch (error) {
    throw explainError(error, "source", clients.source);
  }
}

async function discoverAs(
  inputs: MigrateInputs,
  clients: MigrationClients,
  source: CallerIdentity,
  target: CallerIdentity,
): Promise<Discovered> {
  const a = clients.source;
  const b = clients.target;
  const log = new DenialLog();
  const found: Discovered = {
    region: inputs.region,
    targetRegion: inputs.targetRegion ?? inputs.region,
    partition: partitionOf(source.Arn),
    source,
    target,
    targetKey: { Requested: inputs.targetKmsKey },
    targetInstances: [],
    targetParameterGroup: "unknown",
    targetSubnetGroup: "unknown",
    denials: log.denials,
  };
  const readA = log.side("source");
  const arnA = (type: string, name: string) =>
    `arn:${found.partition}:rds:${found.region}:${source.Account}:${type}:${name}`;

  if (inputs.sourceSnapshot) {
    const id = ownSnapshotName(inputs.sourceSnapshot, source.Account);
    try {
      found.givenSnapshot = await readSnapshot(a.neptune, id, { tolerate: readA });
      if (!found.givenSnapshot)
        found.givenSnapshotError = {
          code: "DBClusterSnapshotNotFoundFault",
          message: `DBClusterSnapshot not found: ${id}`,
        };
    } catch (error) {
      found.givenSnapshotError = errorFacts(error);
      log.note("source", found.givenSnapshotError, {
        action: "rds:DescribeDBClusterSnapshots",
        resource: snapshotArn(found.partition, found.region, source.Account, id),
      });
    }
  }
  const clusterId = inputs.sourceCluster ?? found.givenSnapshot?.DBClusterIdentifier;
  if (clusterId) {
    try {
      found.sourceCluster = await readCluster(a.neptune, clusterId, { tolerate: readA });
      if (!found.sourceCluster)
        found.sourceClusterError = { code: "DBClusterNotFoundFault", message: `DBCluster ${clusterId} not found.` };
    } catch (error) {
      found.sourceClusterError = errorFacts(error);
      log.note("source", found.sourceClusterError, {
        action: "rds:DescribeDBClusters",
        resource: arnA("cluster", clusterId),
      });
    }
    if (inputs.live && found.sourceCluster) found.sourceStreams = await readStreamsSetting(a.neptune, clusterId);
  }

  const keyOfSource = found.givenSnapshot ? found.givenSnapshot.KmsKeyId : found.sourceCluster?.KmsKeyId;
  const names = {
    manual: sourceManualSnapshotName(inputs.targetCluster, target.Account),
    cmk: sourceCmkSnapshotName(inputs.targetCluster, target.Account),
    copy: targetCopyName(inputs.targetCluster, source.Account),
  };

  const [sourceKey, reencryptKey, createdKey, manual, cmk] = await Promise.all([
    keyOfSource ? readKey(a.kms, keyOfSource) : undefined,
    inputs.sourceKmsKey ? readNamedKey(a.kms, inputs.sourceKmsKey, source, inputs.region, readA) : undefined,
    inputs.createSourceKey ? readKey(a.kms, createdKeyAlias(inputs.targetCluster, target.Account)) : undefined,
    inputs.sourceSnapshot ? undefined : tolerantSnapshot(a.neptune, names.manual, readA, arnA),
    tolerantSnapshot(a.neptune, names.cmk, readA, arnA),
  ]);
  log.note("source", sourceKey?.Error, { action: "kms:DescribeKey", resource: sourceKey?.Requested ?? "*" });
  log.note("source", sourceKey?.PolicyError, { action: "kms:GetKeyPolicy", resource: sourceKey?.Arn ?? "*" });
  found.sourceKey = sourceKey;
  found.reencryptKey = reencryptKey;
  if (createdKey && !createdKey.Error) found.createdSourceKey = createdKey;
  found.sourceManualSnapshot = manual;
  found.sourceCmkSnapshot = cmk;

  try {
    await discoverTarget(found, inputs, b, names.copy, log);
    if (clients.transit) await discoverTransit(found, inputs, clients.transit, names.copy, log);
  } catch (error) {
    throw explainError(error, "target", b);
  }
  return found;
}

async function discoverTarget(
  found: Discovered,
  inputs: MigrateInputs,
  b: SideClients,
  copyName: string,
  log: DenialLog,
): Promise<void> {
  const readB = log.side("target");
  const arnB = (type: string, name: string) =>
    `arn:${found.partition}:rds:${found.targetRegion}:${found.target.Account}:${type}:${name}`;
  const parameterGroup = inputs.parameterGroup ?? found.sourceCluster?.DBClusterParameterGroup;
  const [targetKey, copy, cluster, parameterGroupExists, subnetGroupExists] = await Promise.all([
    readNamedKey(b.kms, inputs.targetKmsKey, found.target, found.targetRegion, readB),
    tolerantSnapshot(b.neptune, copyName, readB, arnB),
    readB(
      { action: "rds:DescribeDBClusters", resource: arnB("cluster", inputs.targetCluster) },
      () => readCluster(b.neptune, inputs.targetCluster, { tolerate: readB }),
      undefined,
    ),
    parameterGroup
      ? readB(
          { action: "rds:DescribeDBClusterParameterGroups", resource: arnB("cluster-pg", parameterGroup) },
          () => clusterParameterGroupExists(b.neptune, parameterGroup),
          "unknown" as Existence,
        )
      : ("unknown" as Existence),
    inputs.subnetGroup
      ? readB(
          { action: "rds:DescribeDBSubnetGroups", resource: arnB("subgrp", inputs.subnetGroup) },
          () => subnetGroupExistsIn(b.neptune, inputs.subnetGroup!),
          "unknown" as Existence,
        )
      : ("unknown" as Existence),
  ]);
  log.note("target", targetKey.Error, { action: "kms:DescribeKey", resource: targetKey.Requested });
  log.note("target", targetKey.PolicyError, { action: "kms:GetKeyPolicy", resource: targetKey.Arn ?? "*" });
  found.targetKey = targetKey;
  found.targetCopy = copy;
  found.targetCluster = cluster;
  found.targetParameterGroup = parameterGroupExists;
  found.targetSubnetGroup = subnetGroupExists;
  const wanted = plannedInstances(inputs, found.sourceCluster).map((instance) => instance.DBInstanceIdentifier);
  const members = cluster?.Members.map((member) => member.DBInstanceIdentifier) ?? [];
  const ids = [...new Set([...wanted, ...members])];
  const instances = ids.map((id) =>
    readB(
      { action: "rds:DescribeDBInstances", resource: arnB("db", id) },
      () => readInstance(b.neptune, id),
      undefined,
    ),
  );
  found.targetInstances = (await Promise.all(instances)).filter(
    (instance): instance is InstanceFacts => instance !== undefined,
  );
}

/**
 * Across Regions, what the target holds in the source's Region: its copy of the shared snapshot (made there first,
 * R12) and the key that copy is made under (--transit-kms-key).
 */
async function discoverTransit(
  found: Discovered,
  inputs: MigrateInputs,
  transit: SideClients,
  copyName: string,
  log: DenialLog,
): Promise<void> {
  const readB = log.side("target");
  const arnB = (type: string, name: string) =>
    `arn:${found.partition}:rds:${found.region}:${found.target.Account}:${type}:${name}`;
  const keyId = transitKeyOf(inputs);
  const [key, copy] = await Promise.all([
    readNamedKey(transit.kms, keyId, found.target, found.region, readB),
    tolerantSnapshot(transit.neptune, copyName, readB, arnB),
  ]);
  log.note("target", key.Error, { action: "kms:DescribeKey", resource: key.Requested });
  found.transitKey = key;
  found.transitCopy = copy;
}

/** Who each side is, from GetCallerIdentity (never from a flag); a failure names the side and its fix. */
export async function callerIdentities(
  clients: MigrationClients,
): Promise<{ source: CallerIdentity; target: CallerIdentity }> {
  const identify = async (side: Side): Promise<CallerIdentity> => {
    try {
      const out = await clients[side].sts.send(new GetCallerIdentityCommand({}));
      return { Account: out.Account!, Arn: out.Arn!, UserId: out.UserId ?? "" };
    } catch (error) {
      throw explainError(error, side, clients[side]);
    }
  };
  const [source, target] = await Promise.all([identify("source"), identify("target")]);
  return { source, target };
}

/** A snapshot of the caller's own account given by ARN is addressed by its name (R5: only shared ones need the ARN). */
function ownSnapshotName(idOrArn: string, account: string): string {
  const arn = /^arn:[^:]+:rds:[^:]*:(\d{12}):cluster-snapshot:(.+)$/.exec(idOrArn);
  return arn && arn[1] === account ? arn[2]! : idOrArn;
}

function errorFacts(error: unknown): { code: string; message: string } {
  return {
    code: awsErrorCode(error) ?? (error as Error)?.name ?? "Error",
    message: (error as Error)?.message ?? String(error),
  };
}

/** One of this migration's snapshots read by discovery: unknown (as if absent) when the read is denied. */
function tolerantSnapshot(
  neptune: NeptuneClient,
  name: string,
  tolerate: Tolerate,
  arn: (type: string, name: string) => string,
): Promise<SnapshotFacts | undefined> {
  return tolerate(
    { action: "rds:DescribeDBClusterSnapshots", resource: arn("cluster-snapshot", name) },
    () => readSnapshot(neptune, name, { tolerate }),
    undefined,
  );
}

async function tagsOf(neptune: NeptuneClient, arn: string | undefined, tolerate: Tolerate): Promise<Tag[]> {
  if (!arn) return [];
  try {
    const list = async () => (await neptune.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList;
    const tags = await tolerate({ action: "rds:ListTagsForResource", resource: arn }, list, []);
    return (tags ?? []).map((tag) => ({ Key: tag.Key ?? "", Value: tag.Value ?? "" }));
  } catch (error) {
    if (isUnsupported(error)) return [];
    throw error;
  }
}

/**
 * A cluster by name, with its members' classes and tags and its own tags (`withDetails: false`: one call,
 * without them); `undefined` when it does not exist.
 */
export async function readCluster(
  neptune: NeptuneClient,
  id: string,
  options: { withDetails?: boolean; tolerate?: Tolerate } = {},
): Promise<ClusterFacts | undefined> {
  const tolerate = options.tolerate ?? intolerant;
  const cluster = await unlessNotFound(
    NOT_FOUND.cluster,
    async () => (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0],
  );
  if (!cluster) return undefined;
  const withDetails = options.withDetails !== false;
  const members: MemberFacts[] = await Promise.all(
    (cluster.DBClusterMembers ?? []).map(async (member) => {
      const facts: MemberFacts = {
        DBInstanceIdentifier: member.DBInstanceIdentifier!,
        IsClusterWriter: member.IsClusterWriter ?? false,
        PromotionTier: member.PromotionTier,
      };
      const instanceArn = cluster.DBClusterArn!.replace(/:cluster:[^:]+$/, `:db:${facts.DBInstanceIdentifier}`);
      const instance = withDetails
        ? await tolerate(
            { action: "rds:DescribeDBInstances", resource: instanceArn },
            () => describeInstance(neptune, facts.DBInstanceIdentifier),
            undefined,
          )
        : undefined;
      if (instance) {
        facts.DBInstanceClass = instance.DBInstanceClass;
        facts.Tags = await tagsOf(neptune, instance.DBInstanceArn, tolerate);
      }
      return facts;
    }),
  );
  return {
    DBClusterIdentifier: cluster.DBClusterIdentifier!,
    DBClusterArn: cluster.DBClusterArn!,
    ...(cluster.DbClusterResourceId ? { DbClusterResourceId: cluster.DbClusterResourceId } : {}),
    ...progressAndEncryption(cluster),
    Engine: cluster.Engine ?? "neptune",
    DBClusterParameterGroup: cluster.DBClusterParameterGroup,
    DBSubnetGroup: cluster.DBSubnetGroup,
    VpcSecurityGroupIds: (cluster.VpcSecurityGroups ?? []).map((group) => group.VpcSecurityGroupId!).filter(Boolean),
    ...(cluster.Endpoint ? { Endpoint: cluster.Endpoint } : {}),
    Port: cluster.Port,
    IAMDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled,
    DeletionProtection: cluster.DeletionProtection,
    CopyTagsToSnapshot: cluster.CopyTagsToSnapshot,
    EnabledCloudwatchLogsExports: cluster.EnabledCloudwatchLogsExports,
    Members: members,
    Tags: withDetails ? await tagsOf(neptune, cluster.DBClusterArn, tolerate) : [],
  };
}

function describeInstance(neptune: NeptuneClient, id: string) {
  return unlessNotFound(
    NOT_FOUND.instance,
    async () => (await neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0],
  );
}

export async function readInstance(neptune: NeptuneClient, id: string): Promise<InstanceFacts | undefined> {
  const instance = await describeInstance(neptune, id);
  if (!instance) return undefined;
  return {
    DBInstanceIdentifier: instance.DBInstanceIdentifier!,
    DBInstanceStatus: instance.DBInstanceStatus ?? "unknown",
    DBClusterIdentifier: instance.DBClusterIdentifier,
    DBInstanceClass: instance.DBInstanceClass,
  };
}

/** A snapshot by name (or ARN), with its tags and `restore` attribute; `undefined` when it does not exist. */
export async function readSnapshot(
  neptune: NeptuneClient,
  id: string,
  options: { withDetails?: boolean; tolerate?: Tolerate } = {},
): Promise<SnapshotFacts | undefined> {
  const tolerate = options.tolerate ?? intolerant;
  const automated = /^rds:/.test(id) || /:cluster-snapshot:rds:/.test(id);
  const snapshot = await unlessNotFound(NOT_FOUND.snapshot, async () => {
    // "If this identifier is for an automated snapshot, the SnapshotType parameter must also be specified" [M-NEP].
    const out = await neptune.send(
      new DescribeDBClusterSnapshotsCommand({
        DBClusterSnapshotIdentifier: id,
        ...(automated ? { SnapshotType: "automated" } : {}),
      }),
    );
    return out.DBClusterSnapshots?.[0];
  });
  if (!snapshot) return undefined;
  const facts = snapshotFacts(snapshot);
  if (options.withDetails === false) return facts;
  const [tags, sharedWith] = await Promise.all([
    tagsOf(neptune, facts.DBClusterSnapshotArn, tolerate),
    tolerate(
      { action: "rds:DescribeDBClusterSnapshotAttributes", resource: facts.DBClusterSnapshotArn },
      () => restoreAttribute(neptune, facts.DBClusterSnapshotIdentifier),
      [],
    ),
  ]);
  return { ...facts, Tags: tags, SharedWith: sharedWith };
}

export function snapshotFacts(snapshot: DBClusterSnapshot): SnapshotFacts {
  return {
    DBClusterSnapshotIdentifier: snapshot.DBClusterSnapshotIdentifier!,
    DBClusterSnapshotArn: snapshot.DBClusterSnapshotArn!,
    DBClusterIdentifier: snapshot.DBClusterIdentifier,
    SnapshotType: snapshot.SnapshotType ?? "manual",
    ...progressAndEncryption(snapshot),
    SourceDBClusterSnapshotArn: snapshot.SourceDBClusterSnapshotArn,
    ...(snapshot.AllocatedStorage !== undefined ? { AllocatedStorage: snapshot.AllocatedStorage } : {}),
    Tags: [],
    SharedWith: [],
  };
}

/** What clusters and snapshots both report, read the same way: status and progress, encryption, engine version. */
function progressAndEncryption<Percent>(resource: {
  Status?: string;
  PercentProgress?: Percent;
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  EngineVersion?: string;
}) {
  return {
    Status: resource.Status ?? "unknown",
    PercentProgress: resource.PercentProgress,
    StorageEncrypted: resource.StorageEncrypted ?? false,
    KmsKeyId: resource.KmsKeyId,
    EngineVersion: resource.EngineVersion,
  };
}

export async function restoreAttribute(neptune: NeptuneClient, id: string): Promise<string[]> {
  try {
    const out = await neptune.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id }));
    const restore = out.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find(
      (attribute) => attribute.AttributeName === "restore",
    );
    return restore?.AttributeValues ?? [];
  } catch (error) {
    if (isUnsupported(error)) return [];
    throw error;
  }
}

/** A key's metadata and (for customer-managed keys) its policy; errors are facts here, not failures. */
export async function readKey(kms: KMSClient, keyId: string): Promise<KeyFacts> {
  const facts: KeyFacts = { Requested: keyId };
  try {
    const metadata = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    Object.assign(facts, {
      Arn: metadata.Arn,
      AWSAccountId: metadata.AWSAccountId,
      KeyManager: metadata.KeyManager,
      KeyState: metadata.KeyState,
    });
  } catch (error) {
    const code = awsErrorCode(error);
    if (!code || isUnsupported(error)) throw error;
    facts.Error = errorFacts(error);
    return facts;
  }
  if (facts.KeyManager === "CUSTOMER") {
    try {
      facts.Policy = (await kms.send(new GetKeyPolicyCommand({ KeyId: facts.Arn, PolicyName: "default" }))).Policy;
    } catch (error) {
      if (!awsErrorCode(error)) throw error;
      facts.PolicyError = errorFacts(error);
    }
  }
  return facts;
}

/**
 * A key the user named (--target-kms-key, --source-kms-key), read without creating anything: DescribeKey on a
 * predefined AWS alias of the caller's own account (`alias/aws/rds`, by name or by alias ARN) creates that
 * AWS-managed key on first use (aws-behaviour §6.1), and plan changes nothing. Such an alias is looked up with
 * ListAliases instead; until AWS has created its key, there is nothing more to read.
 */
async function readNamedKey(
  kms: KMSClient,
  keyId: string,
  caller: CallerIdentity,
  region: string,
  tolerate: Tolerate,
): Promise<KeyFacts> {
  const aliasName = ownAwsManagedAlias(keyId, caller.Account, region);
  if (!aliasName) return readKey(kms, keyId);
  const notYetCreated: KeyFacts = { Requested: keyId, NotYetCreated: true, KeyManager: "AWS" };
  let marker: string | undefined;
  do {
    const list = () => kms.send(new ListAliasesCommand({ ...(marker ? { Marker: marker } : {}) }));
    const out = await tolerate({ action: "kms:ListAliases", resource: "*" }, list, undefined);
    // Denied: which key the alias names stays unknown (the permission report says why).
    if (!out) return { Requested: keyId, KeyManager: "AWS" };
    const alias = out.Aliases?.find((entry) => entry.AliasName === aliasName);
    if (alias)
      return alias.TargetKeyId ? { ...(await readKey(kms, alias.TargetKeyId)), Requested: keyId } : notYetCreated;
    marker = out.Truncated ? out.NextMarker : undefined;
  } while (marker);
  return notYetCreated;
}

/** The alias name when `keyId` is a predefined AWS alias of this account and region (another's can't be created). */
function ownAwsManagedAlias(keyId: string, account: string, region: string): string | undefined {
  if (!isAwsManagedAlias(keyId)) return undefined;
  if (!keyId.startsWith("arn:")) return keyId;
  const arn = /^arn:[^:]+:kms:([^:]*):(\d{12}):(alias\/.+)$/.exec(keyId);
  return arn && arn[1] === region && arn[2] === account ? arn[3] : undefined;
}

function clusterParameterGroupExists(neptune: NeptuneClient, name: string): Promise<Existence> {
  return existence(NOT_FOUND.parameterGroup, async () => {
    const out = await neptune.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name }));
    return out.DBClusterParameterGroups;
  });
}

function subnetGroupExistsIn(neptune: NeptuneClient, name: string): Promise<Existence> {
  return existence(NOT_FOUND.subnetGroup, async () => {
    const out = await neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name }));
    return out.DBSubnetGroups;
  });
}

/** Whether a Describe call finds the named thing; "unknown" when AWS won't say (denied, unsupported). */
async function existence(notFound: string[], describe: () => Promise<unknown[] | undefined>): Promise<Existence> {
  try {
    return ((await describe()) ?? []).length > 0 ? "exists" : "missing";
  } catch (error) {
    if (isAwsError(error, ...notFound)) return "missing";
    if (isAccessDenied(error)) throw error; // the caller records it (DenialLog)
    if (awsErrorCode(error)) return "unknown";
    throw error;
  }
}
