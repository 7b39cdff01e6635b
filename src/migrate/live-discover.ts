import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { awsErrorCode, awsErrorMessage } from "./errors.js";
import type { StreamsSetting } from "./types.js";

/**
 * `--live` needs Neptune Streams on at the source: `neptune_streams` = 1 in the cluster's parameter group, in
 * effect on its writer. Neptune applies the parameter (static) only after a reboot: until then the member's
 * DBClusterParameterGroupStatus is `pending-reboot` (Neptune user guide, "Enabling Neptune Streams").
 */
export async function readStreamsSetting(neptune: NeptuneClient, clusterId: string): Promise<StreamsSetting> {
  try {
    const cluster = (await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId })))
      .DBClusters?.[0];
    const group = cluster?.DBClusterParameterGroup;
    const writer = cluster?.DBClusterMembers?.find((member) => member.IsClusterWriter);
    const setting: StreamsSetting = {
      ...(group ? { parameterGroup: group } : {}),
      ...(writer?.DBInstanceIdentifier ? { writer: writer.DBInstanceIdentifier } : {}),
      ...(writer?.DBClusterParameterGroupStatus ? { applyStatus: writer.DBClusterParameterGroupStatus } : {}),
    };
    if (!group) return setting;
    let marker: string | undefined;
    do {
      const page = await neptune.send(
        new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group, Marker: marker }),
      );
      const found = page.Parameters?.find((parameter) => parameter.ParameterName === "neptune_streams");
      if (found) return { ...setting, ...(found.ParameterValue !== undefined ? { value: found.ParameterValue } : {}) };
      marker = page.Marker;
    } while (marker);
    return setting;
  } catch (error) {
    const code = awsErrorCode(error);
    if (!code) throw error;
    return { error: { code, message: awsErrorMessage(error) } };
  }
}
