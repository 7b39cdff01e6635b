import {
  CreateDBClusterCommand,
  CreateDBClusterParameterGroupCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  type CreateDBClusterCommandInput,
  type CreateDBClusterParameterGroupCommandInput,
  type CreateDBInstanceCommandInput,
  type ModifyDBClusterCommandInput,
  type ModifyDBInstanceCommandInput,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { DELAY_PROFILES, type Delays } from "../../src/state/delays.js";

/** Shared by the Neptune suites: the resources they start from, made through the SDK, and the clock's delays. */

export const MINUTE = 60_000;

/** Every transition instant except the ones a test watches on the clock. */
export function instantExcept(slow: Partial<Delays>): Delays {
  return { ...DELAY_PROFILES.instant, ...slow };
}

export async function createCluster(
  neptune: NeptuneClient,
  id: string,
  extra: Partial<CreateDBClusterCommandInput> = {},
) {
  return (await neptune.send(new CreateDBClusterCommand({ DBClusterIdentifier: id, Engine: "neptune", ...extra })))
    .DBCluster!;
}

export async function describeCluster(neptune: NeptuneClient, id: string) {
  return (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters![0]!;
}

/** ModifyDBCluster of `id`: the cluster as the response shows it. */
export async function modifyCluster(
  neptune: NeptuneClient,
  id: string,
  changes: Omit<ModifyDBClusterCommandInput, "DBClusterIdentifier">,
) {
  return (await neptune.send(new ModifyDBClusterCommand({ DBClusterIdentifier: id, ...changes }))).DBCluster!;
}

/** A member of `cluster`, of class db.r5.large unless `extra` says otherwise. */
export async function createInstance(
  neptune: NeptuneClient,
  cluster: string,
  id: string,
  extra: Partial<CreateDBInstanceCommandInput> = {},
) {
  return (
    await neptune.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBClusterIdentifier: cluster,
        Engine: "neptune",
        DBInstanceClass: "db.r5.large",
        ...extra,
      }),
    )
  ).DBInstance!;
}

export async function describeInstance(neptune: NeptuneClient, id: string) {
  return (await neptune.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0]!;
}

/** ModifyDBInstance of `id`: the instance as the response shows it. */
export async function modifyInstance(
  neptune: NeptuneClient,
  id: string,
  changes: Omit<ModifyDBInstanceCommandInput, "DBInstanceIdentifier">,
) {
  return (await neptune.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, ...changes }))).DBInstance!;
}

/** A custom cluster parameter group (family neptune1.3 unless `extra` says otherwise). */
export function createClusterParameterGroup(
  neptune: NeptuneClient,
  name: string,
  extra: Partial<CreateDBClusterParameterGroupCommandInput> = {},
) {
  return neptune.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: name,
      DBParameterGroupFamily: "neptune1.3",
      Description: `${name} group`,
      ...extra,
    }),
  );
}

/** The subnet ids of the account's `default` subnet group: one per zone of its default VPC. */
export async function defaultSubnetIds(neptune: NeptuneClient): Promise<string[]> {
  const out = await neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "default" }));
  return out.DBSubnetGroups![0]!.Subnets!.map((subnet) => subnet.SubnetIdentifier!);
}

/** A custom DB (instance) parameter group of `family`. */
export function createInstanceParameterGroup(neptune: NeptuneClient, name: string, family = "neptune1.3") {
  return neptune.send(
    new CreateDBParameterGroupCommand({ DBParameterGroupName: name, DBParameterGroupFamily: family, Description: "d" }),
  );
}

/** A subnet group over the first `zones` subnets of the account's default VPC. */
export async function createSubnetGroup(neptune: NeptuneClient, name: string, zones: number) {
  return neptune.send(
    new CreateDBSubnetGroupCommand({
      DBSubnetGroupName: name,
      DBSubnetGroupDescription: "d",
      SubnetIds: (await defaultSubnetIds(neptune)).slice(0, zones),
    }),
  );
}
