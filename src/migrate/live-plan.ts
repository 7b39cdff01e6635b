import { stepRules } from "./step-rules.js";
import type { JournalData } from "./journal.js";
import { formatEvent } from "./stream-records.js";
import type { Discovered, Finding, MigrateInputs, PlannedStep } from "./types.js";

/**
 * What `--live` adds to the plan: its blockers (streams off at the source, a snapshot taken without its stream
 * position…) and its two steps, the stream position read before the snapshot and the replay after the target's
 * instances. Pure, like the planner.
 */

/** Neptune's parameter and the cluster's setting that turn streams on (Neptune user guide, "Enabling Neptune Streams"). */
export const STREAMS_PARAMETER = "neptune_streams";

export function liveFindings(
  inputs: MigrateInputs,
  found: Discovered,
  journal: JournalData | undefined,
  sourceSettled: boolean,
): Finding[] {
  const findings: Finding[] = [];
  const add = (finding: Omit<Finding, "severity">, severity: Finding["severity"] = "blocker") =>
    findings.push({ severity, ...finding });
  if (!inputs.sourceCluster) {
    add({
      code: "live-without-source-cluster",
      message:
        "--live replays the source cluster's changes made after the snapshot it takes, and the source is a snapshot",
      fix: "give --source-cluster instead of --source-snapshot",
    });
    return findings;
  }
  if (inputs.verifyData)
    add({
      code: "live-with-verify-data",
      message: "--verify-data compares the graphs while the source is still written to under --live",
      fix: "leave out --verify-data: trident migrate cutover compares the graphs once the writers have stopped",
    });
  const cluster = found.sourceCluster;
  if (cluster && cluster.Members.length === 0)
    add({
      code: "live-source-without-instance",
      rule: "R11",
      message: `the source cluster ${inputs.sourceCluster} has no instance, so its stream can't be read`,
      fix: `create an instance in ${inputs.sourceCluster}, or leave out --live`,
    });
  const positioned = journal?.live?.snapshotPosition !== undefined;
  if (!positioned && (found.sourceManualSnapshot || sourceSettled))
    add({
      code: "live-snapshot-without-position",
      message: `the snapshot of ${inputs.sourceCluster} was taken without --live, so which changes it holds is not known`,
      fix: `delete ${found.sourceManualSnapshot?.DBClusterSnapshotIdentifier ?? "that snapshot"} (and what this migration made from it in ${found.target.Account}) for a new one, or leave out --live`,
    });
  const streams = found.sourceStreams;
  if (cluster && streams) {
    if (streams.error)
      add(
        {
          code: "live-streams-unknown",
          message: `can't tell whether Neptune Streams are on at ${inputs.sourceCluster}: ${streams.error.code}: ${streams.error.message}`,
          fix: `allow rds:DescribeDBClusterParameters on its cluster parameter group; apply --live reads the stream before the snapshot and stops there if streams are off`,
        },
        "warning",
      );
    else if (streams.value !== "1")
      add({
        code: "live-streams-off",
        message: `Neptune Streams are off at the source cluster ${inputs.sourceCluster} (${STREAMS_PARAMETER} is ${streams.value ?? "not set"} in its cluster parameter group ${streams.parameterGroup ?? "(none)"})`,
        fix: turnOnStreams(inputs.sourceCluster, streams.parameterGroup, streams.writer),
      });
    else if (streams.applyStatus && streams.applyStatus !== "in-sync")
      // The member's status says only that some static parameter of the group waits for a reboot, not which: the
      // stream may or may not be on yet, and an apply would stop at the stream's position. So it blocks.
      add({
        code: "live-streams-pending-reboot",
        message: `${STREAMS_PARAMETER}=1 in ${streams.parameterGroup} may not be in effect yet at ${inputs.sourceCluster}: its writer ${streams.writer} has not rebooted since the group's static parameters changed (its DBClusterParameterGroupStatus is ${streams.applyStatus})`,
        fix: [
          `reboot the writer (${STREAMS_PARAMETER} is static: it takes effect after the reboot), and plan again once it is available:`,
          rebootCommand(streams.writer),
        ].join("\n"),
      });
  }
  return findings;
}

/** How to turn streams on: the parameter in a custom cluster parameter group (a default one can't change), and the reboot. */
function turnOnStreams(cluster: string, group: string | undefined, writer: string | undefined): string {
  const reboot = `${rebootCommand(writer)}   (${STREAMS_PARAMETER} is static: it takes effect after the reboot)`;
  const set = (name: string) =>
    `aws neptune modify-db-cluster-parameter-group --db-cluster-parameter-group-name ${name} --parameters ParameterName=${STREAMS_PARAMETER},ParameterValue=1,ApplyMethod=pending-reboot`;
  if (group && !group.startsWith("default."))
    return ["turn streams on in the cluster's parameter group, then reboot its writer:", set(group), reboot].join("\n");
  const custom = `${cluster}-streams`;
  return [
    `a default parameter group can't be changed: create a custom one, set ${STREAMS_PARAMETER}=1 in it, attach it to the cluster, then reboot its writer:`,
    `aws neptune create-db-cluster-parameter-group --db-cluster-parameter-group-name ${custom} --db-parameter-group-family ${group?.replace(/^default\./, "") ?? "neptune1.3"} --description "Neptune Streams on"`,
    set(custom),
    `aws neptune modify-db-cluster --db-cluster-identifier ${cluster} --db-cluster-parameter-group-name ${custom}`,
    reboot,
  ].join("\n");
}

const rebootCommand = (writer: string | undefined) =>
  `aws neptune reboot-db-instance --db-instance-identifier ${writer ?? "<the writer instance>"}`;

export function streamPositionStep(inputs: MigrateInputs, journal: JournalData | undefined): PlannedStep {
  const position = journal?.live?.snapshotPosition;
  return {
    id: "stream-position",
    side: "source",
    title: `read the stream position of ${inputs.sourceCluster} before its snapshot`,
    details: [
      "GetPropertygraphStream iteratorType=LATEST on the source's endpoint (neptune-db:GetStreamRecords)",
      "recorded in the journal: the target will hold every change up to it, and replays the ones after it",
    ],
    rules: stepRules("stream-position"),
    state: position ? "done" : "todo",
    ...(position ? { reason: `the snapshot's position is ${formatEvent(position)}` } : {}),
  };
}

export function replayStep(inputs: MigrateInputs, found: Discovered, journal: JournalData | undefined): PlannedStep {
  const applied = journal?.live?.applied ?? journal?.live?.snapshotPosition;
  return {
    id: "replay",
    side: "target",
    title: `replay the changes made to ${inputs.sourceCluster} in ${found.source.Account} since the snapshot onto ${inputs.targetCluster}`,
    details: [
      `GetPropertygraphStream AFTER_SEQUENCE_NUMBER from ${applied ? formatEvent(applied) : "the snapshot's position"} on the source (neptune-db:GetStreamRecords)`,
      "each page of whole transactions: one ExecuteOpenCypherQuery on the target (neptune-db:ReadDataViaQuery, WriteDataViaQuery, DeleteDataViaQuery), idempotent",
      "until caught up (--follow: keep following); then trident migrate cutover",
    ],
    rules: stepRules("replay"),
    state: "todo",
  };
}
