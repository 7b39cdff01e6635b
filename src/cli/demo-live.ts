import {
  CreateDBClusterParameterGroupCommand,
  DescribeDBClustersCommand,
  ModifyDBClusterCommand,
  ModifyDBClusterParameterGroupCommand,
  RebootDBInstanceCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import type { NeptunedataClient } from "@aws-sdk/client-neptunedata";
import type { MigrationClients } from "../migrate/clients.js";
import { runCutover } from "../migrate/live-cutover.js";
import { waitUntilReady } from "../migrate/resources.js";
import type { MigrateInputs } from "../migrate/types.js";
import { realSleep, silentProgress, type WaitSettings } from "../migrate/waiters.js";
import { SeededWriter } from "./demo-writer.js";

/**
 * Neptune Streams turned on at a cluster as a user does it on AWS (the live demo's step; the tests' and the
 * bench's too): a custom cluster parameter group with neptune_streams=1 (and the retention in days), attached to
 * the cluster, then the writer rebooted, since the parameter is static (Neptune user guide, "Enabling Neptune
 * Streams"). `reboot: false` leaves it pending.
 */
export async function enableStreams(
  neptune: NeptuneClient,
  cluster: string,
  options: { expiryDays?: number; reboot?: boolean; wait?: WaitSettings; say?: (line: string) => void } = {},
): Promise<{ group: string; writer: string }> {
  const say = options.say ?? (() => {});
  const group = `${cluster}-streams`;
  await neptune.send(
    new CreateDBClusterParameterGroupCommand({
      DBClusterParameterGroupName: group,
      DBParameterGroupFamily: "neptune1.4",
      Description: "Neptune Streams on",
    }),
  );
  const parameters = [
    { ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" as const },
  ];
  if (options.expiryDays)
    parameters.push({
      ParameterName: "neptune_streams_expiry_days",
      ParameterValue: String(options.expiryDays),
      ApplyMethod: "pending-reboot",
    });
  await neptune.send(
    new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: group, Parameters: parameters }),
  );
  await neptune.send(new ModifyDBClusterCommand({ DBClusterIdentifier: cluster, DBClusterParameterGroupName: group }));
  say(`CreateDBClusterParameterGroup ${group} with neptune_streams=1; ModifyDBCluster ${cluster} to use it`);
  const described = await neptune.send(new DescribeDBClustersCommand({ DBClusterIdentifier: cluster }));
  const writer = described.DBClusters![0]!.DBClusterMembers!.find(
    (member) => member.IsClusterWriter,
  )!.DBInstanceIdentifier!;
  if (options.reboot !== false) {
    await neptune.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: writer }));
    say(`RebootDBInstance ${writer}: neptune_streams is static, in effect after the reboot`);
    await waitUntilReady(neptune, "instance", writer, options.wait ?? {}, silentProgress);
  }
  return { group, writer };
}

/** The live demo's writer: this many writes a second to A's graph while the migration runs. */
export const LIVE_WRITES_PER_SECOND = 100;
export const LIVE_WRITER_SEED = 20261129;

export interface LiveWriter {
  writer: SeededWriter;
  writing: Promise<number>;
}

export function startLiveWriter(client: NeptunedataClient, write: (line: string) => void): LiveWriter {
  const writer = new SeededWriter(client, LIVE_WRITER_SEED, "live");
  write("");
  write(
    `A writer keeps adding to orders-graph's graph from now on: ${LIVE_WRITES_PER_SECOND} openCypher writes a second (seeded random: nodes, relationships, properties, labels, deletes)`,
  );
  return { writer, writing: writer.run({ ratePerSecond: LIVE_WRITES_PER_SECOND, sleep: realSleep }) };
}

/** The cutover, in the demo: the writer stops when asked to, the pause is printed. */
export async function demoCutover(context: {
  inputs: MigrateInputs;
  clients: MigrationClients;
  journalPath: string;
  writer: LiveWriter;
  write: (line: string) => void;
  stamp: () => string;
}): Promise<{ writes: number; pauseMs: number; elementDifferences: number }> {
  const { write, writer } = context;
  let writes = 0;
  write("");
  write(`${context.stamp()} trident migrate cutover --compare-elements`);
  const result = await runCutover({
    inputs: context.inputs,
    clients: context.clients,
    journalPath: context.journalPath,
    write: (line) => write(`    ${line}`),
    quietMs: 500,
    compareElements: true,
    live: { pollMs: 100 },
    onStopWriters: async () => {
      writer.writer.stop();
      writes = await writer.writing;
      write(`    (the demo's writer stops: ${writes} writes made while the migration ran)`);
    },
  });
  const seconds = result.pauseMs / 1000;
  write(
    `    Cutover pause: ${seconds.toFixed(2)} s ${seconds < 5 ? "(under the 5 s target)" : "(OVER the 5 s target)"}`,
  );
  return { writes, pauseMs: result.pauseMs, elementDifferences: result.elementDifferences?.length ?? 0 };
}
