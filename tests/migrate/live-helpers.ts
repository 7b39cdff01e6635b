import {
  CreateDBClusterParameterGroupCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterCommand,
  ModifyDBClusterParameterGroupCommand,
  RebootDBInstanceCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";

/**
 * Neptune Streams turned on at a cluster as a user does it on AWS: a custom cluster parameter group with
 * neptune_streams=1 (and the retention in days), attached to the cluster, then the writer rebooted (the parameter
 * is static). `reboot: false` leaves it pending.
 */
export async function enableStreams(
  neptune: NeptuneClient,
  cluster: string,
  options: { expiryDays?: number; reboot?: boolean } = {},
): Promise<{ group: string; writer: string }> {
  const group = `${cluster}-streams`;
  await neptune.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      DBParameterGroupFamily: "neptune1.4",
      Description: "Neptune Streams on",
    }),
  );
  await neptune.send(
    new ModifyDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      Parameters: [
        { ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" },
        ...(options.expiryDays
          ? [
              {
                ParameterName: "neptune_streams_expiry_days",
                ParameterValue: String(options.expiryDays),
                ApplyMethod: "pending-reboot" as const,
              },
            ]
          : []),
      ],
    }),
  );
  await neptune.send(new ModifyDBClusterCommand({ DBClusterIdentifier: cluster, DBClusterParameterGroupName: group }));
  const described = await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster }));
  const writer = described.DBClusters![0]!.DBClusterMembers!.find(
    (member) => member.IsClusterWriter,
  )!.DBInstanceIdentifier!;
  if (options.reboot !== false) await neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: writer }));
  return { group, writer };
}
