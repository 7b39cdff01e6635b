import {
  CreateAliasCommand,
  CreateGrantCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
} from "@aws-sdk/client-kms";
import {
  AddTagsToResourceCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-neptune";
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { A, B, REGION, type Clients, type Credentials } from "../helpers/harness.js";
import { sharedKeyPolicy } from "../helpers/seed.js";
import {
  copyToLocal,
  createKey,
  createSnapshot,
  restoreFromSnapshot,
  share,
  snapshotArn,
} from "../neptune/snapshots-fixtures.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
  createInstanceParameterGroup,
  createSubnetGroup,
} from "../neptune/resources.js";

/**
 * A rehearsal with every kind of resource the emulator keeps, made through the API: a shared key policy, an
 * alias, a grant and tags on a KMS key, a ciphertext, temporary credentials, parameter and subnet groups, an
 * encrypted cluster with an instance and tags, a manual snapshot shared with B, B's copy of it under B's key,
 * and the events all of that raised. `describe` reads it all back, for comparing before and after a restart.
 */
export interface Rehearsal {
  keyA: string;
  ciphertext: Uint8Array;
  temporary: Credentials;
}

export const PLAINTEXT = "acknowledged plaintext";

/** Builds the rehearsal; `settle` lets lifecycle transitions finish (a clock advanced, or instant delays). */
export async function buildRehearsal(a: Clients, b: Clients, settle: () => void): Promise<Rehearsal> {
  const keyA = await createKey(a, { policy: sharedKeyPolicy() });
  await a.kms.send(new CreateAliasCommand({ AliasName: "alias/rehearsal", TargetKeyId: keyA.KeyId }));
  await a.kms.send(new TagResourceCommand({ KeyId: keyA.KeyId, Tags: [{ TagKey: "team", TagValue: "graph" }] }));
  await a.kms.send(
    new CreateGrantCommand({ KeyId: keyA.KeyId, GranteePrincipal: `arn:aws:iam::${B}:root`, Operations: ["Decrypt"] }),
  );
  const { CiphertextBlob } = await a.kms.send(
    new EncryptCommand({ KeyId: "alias/rehearsal", Plaintext: Buffer.from(PLAINTEXT) }),
  );
  const session = await a.sts.send(new GetSessionTokenCommand({ DurationSeconds: 43200 }));
  await createClusterParameterGroup(a.neptune, "rehearsal-params", { DBParameterGroupFamily: "neptune1.4" });
  await createInstanceParameterGroup(a.neptune, "rehearsal-instance-params", "neptune1.4");
  await createSubnetGroup(a.neptune, "rehearsal-net", 2);
  const cluster = await createCluster(a.neptune, "src", {
    StorageEncrypted: true,
    KmsKeyId: keyA.Arn,
    DBClusterParameterGroupName: "rehearsal-params",
    DBSubnetGroupName: "rehearsal-net",
    Tags: [{ Key: "app", Value: "orders" }],
  });
  await createInstance(a.neptune, "src", "src-1", { DBParameterGroupName: "rehearsal-instance-params" });
  settle();
  await a.neptune.send(
    new AddTagsToResourceCommand({ ResourceName: cluster.DBClusterArn, Tags: [{ Key: "stage", Value: "rehearsal" }] }),
  );
  await createSnapshot(a.neptune, "src", "snap1");
  settle();
  await share(a.neptune, "snap1", [B]);
  const keyB = await createKey(b);
  await copyToLocal(b.neptune, snapshotArn(A, "snap1"), keyB.Arn, { Tags: [{ Key: "copied", Value: "yes" }] });
  settle();
  return {
    keyA: keyA.KeyId!,
    ciphertext: CiphertextBlob!,
    temporary: {
      accessKeyId: session.Credentials!.AccessKeyId!,
      secretAccessKey: session.Credentials!.SecretAccessKey!,
      sessionToken: session.Credentials!.SessionToken!,
    },
  };
}

const VOLATILE = new Set(["$metadata", "LatestRestorableTime"]);

/** Everything the rehearsal made, as the API describes it (request ids left out). */
export async function describeRehearsal(a: Clients, b: Clients, rehearsal: Rehearsal): Promise<unknown> {
  // Request ids differ per call, and LatestRestorableTime is "now" (it moves with the clock, restart or not).
  const strip = (out: object): unknown =>
    JSON.parse(JSON.stringify(out, (key, value: unknown) => (VOLATILE.has(key) ? undefined : value)));
  const KeyId = rehearsal.keyA;
  const clusterArn = `arn:aws:rds:${REGION}:${A}:cluster:src`;
  const side = async (c: Clients) => ({
    clusters: strip(await c.neptune.send(new DescribeDBClustersCommand({}))),
    instances: strip(await c.neptune.send(new DescribeDBInstancesCommand({}))),
    clusterParameterGroups: strip(await c.neptune.send(new DescribeDBClusterParameterGroupsCommand({}))),
    parameterGroups: strip(await c.neptune.send(new DescribeDBParameterGroupsCommand({}))),
    subnetGroups: strip(await c.neptune.send(new DescribeDBSubnetGroupsCommand({}))),
    snapshots: strip(await c.neptune.send(new DescribeDBClusterSnapshotsCommand({ IncludeShared: true }))),
    events: strip(await c.neptune.send(new DescribeEventsCommand({ Duration: 20160 }))),
    aliases: strip(await c.kms.send(new ListAliasesCommand({}))),
  });
  return {
    a: await side(a),
    b: await side(b),
    key: strip(await a.kms.send(new DescribeKeyCommand({ KeyId }))),
    keyPolicy: strip(await a.kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" }))),
    grants: strip(await a.kms.send(new ListGrantsCommand({ KeyId }))),
    keyTags: strip(await a.kms.send(new ListResourceTagsCommand({ KeyId }))),
    clusterTags: strip(await a.neptune.send(new ListTagsForResourceCommand({ ResourceName: clusterArn }))),
    shared: strip(
      await a.neptune.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: "snap1" })),
    ),
  };
}

/** What must still work after a restart: the ciphertext decrypts, the session works, B's copy restores. */
export async function useRehearsal(a: Clients, b: Clients, rehearsal: Rehearsal, sts: STSClient) {
  const decrypted = await a.kms.send(new DecryptCommand({ CiphertextBlob: rehearsal.ciphertext }));
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  const restored = await restoreFromSnapshot(b.neptune, {
    DBClusterIdentifier: "restored",
    SnapshotIdentifier: "local",
  });
  return { plaintext: Buffer.from(decrypted.Plaintext!).toString(), caller: caller.Arn, restored: restored.Status };
}
