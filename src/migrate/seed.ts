import { CreateAliasCommand, CreateKeyCommand } from "@aws-sdk/client-kms";
import { CreateDBClusterCommand, CreateDBInstanceCommand, DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import type { SideClients } from "./clients.js";
import { DEFAULT_INSTANCE_CLASS, formatTags } from "./plan.js";
import { waitUntilReady } from "./resources.js";
import type { Tag } from "./types.js";
import { silentProgress, type WaitSettings } from "./waiters.js";

/**
 * The seed's situation, built through the SDK in the source account: a customer-managed key whose policy gives
 * only its own account access, an encrypted Neptune cluster under it with one instance, and tags. The demo and
 * the migration tests start from here; against real AWS it would make the same resources (and cost money).
 */

export interface SeedOptions {
  clusterId?: string;
  instanceClass?: string;
  tags?: Tag[];
  /** Encrypt with this key instead of a new CMK (for example `alias/aws/rds`). */
  kmsKeyId?: string;
  /** Poll interval while waiting for the cluster and instance; `sleep` lets tests drive a manual clock. */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onStep?: (text: string) => void;
}

export interface Seed {
  clusterId: string;
  clusterArn: string;
  instanceId: string;
  keyArn: string;
  keyAlias?: string;
  tags: Tag[];
  policy?: string;
}

export const SEED_CLUSTER = "orders-graph";
export const SEED_TAGS: Tag[] = [
  { Key: "team", Value: "graph" },
  { Key: "env", Value: "production" },
];

/** The CMK's policy: the account's full access only, as KMS's default policy gives (aws-behaviour §6.2). */
export function seedKeyPolicy(account: string, partition = "aws"): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Id: "orders-graph-key",
      Statement: [
        {
          Sid: "Enable IAM User Permissions",
          Effect: "Allow",
          Principal: { AWS: `arn:${partition}:iam::${account}:root` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    },
    null,
    2,
  );
}

export async function buildSeed(a: SideClients, account: string, options: SeedOptions = {}): Promise<Seed> {
  const clusterId = options.clusterId ?? SEED_CLUSTER;
  const tags = options.tags ?? SEED_TAGS;
  const instanceClass = options.instanceClass ?? DEFAULT_INSTANCE_CLASS;
  const say = options.onStep ?? (() => {});
  const wait: WaitSettings = { intervalMs: options.pollMs ?? 100, ...(options.sleep ? { sleep: options.sleep } : {}) };

  let keyArn: string;
  let keyAlias: string | undefined;
  let policy: string | undefined;
  if (options.kmsKeyId) {
    keyArn = options.kmsKeyId;
  } else {
    policy = seedKeyPolicy(account);
    const key = await a.kms.send(new CreateKeyCommand({ Description: `${clusterId} data`, Policy: policy }));
    keyArn = key.KeyMetadata!.Arn!;
    keyAlias = `alias/${clusterId}`;
    await a.kms.send(new CreateAliasCommand({ AliasName: keyAlias, TargetKeyId: key.KeyMetadata!.KeyId! }));
    say(`CreateKey ${keyArn} (${keyAlias}); its policy gives only account ${account} access`);
  }

  const cluster = await a.neptune.send(
    new CreateDBClusterCommand({
      DBClusterIdentifier: clusterId,
      Engine: "neptune",
      StorageEncrypted: true,
      KmsKeyId: keyArn,
      Tags: tags,
      CopyTagsToSnapshot: true,
    }),
  );
  say(`CreateDBCluster ${clusterId}, encrypted with ${options.kmsKeyId ?? keyAlias}, tags ${formatTags(tags)}`);
  // A new cluster takes its first automated backup right away: wait until that is over too.
  await waitUntilReady(a.neptune, "cluster", clusterId, wait, silentProgress, ["available"]);

  const instanceId = `${clusterId}-1`;
  await a.neptune.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: instanceId,
      DBInstanceClass: instanceClass,
      Engine: "neptune",
      DBClusterIdentifier: clusterId,
    }),
  );
  say(`CreateDBInstance ${instanceId} (${instanceClass}) in ${clusterId}`);
  await waitUntilReady(a.neptune, "instance", instanceId, wait, silentProgress);

  const resolvedKey =
    (await a.neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters?.[0]
      ?.KmsKeyId ?? keyArn;
  return {
    clusterId,
    clusterArn: cluster.DBCluster!.DBClusterArn!,
    instanceId,
    keyArn: resolvedKey,
    ...(keyAlias ? { keyAlias } : {}),
    tags,
    ...(policy ? { policy } : {}),
  };
}
