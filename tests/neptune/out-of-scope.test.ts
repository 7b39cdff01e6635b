import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CreateGlobalClusterCommand,
  DescribeGlobalClustersCommand,
  PromoteReadReplicaDBClusterCommand,
} from "@aws-sdk/client-neptune";
import { encodeRecord } from "../../src/state/codec.js";
import { inProcess, rejection } from "../helpers/harness.js";

const rows = (emulator: ReturnType<typeof inProcess>["emulator"]) => [...emulator.store.rows()].map(encodeRecord);
const NOT_EMULATED = "Trident does not emulate cross-Region read replicas or global databases.";

test("global databases and cross-Region replicas answer NotImplemented (501) saying they are not emulated", async () => {
  const { a, emulator } = inProcess();
  const before = rows(emulator);
  for (const send of [
    () => a.neptune.send(new DescribeGlobalClustersCommand({})),
    () => a.neptune.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune" })),
    () => a.neptune.send(new PromoteReadReplicaDBClusterCommand({ DBClusterIdentifier: "replica" })),
  ]) {
    const error = await rejection(send);
    assert.equal(error.name, "NotImplemented");
    assert.equal(error.$metadata?.httpStatusCode, 501);
    assert.equal(error.message, NOT_EMULATED);
  }
  assert.deepEqual(rows(emulator), before);
});
