import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateGlobalClusterCommand,
  DescribeDBInstancesCommand,
  RemoveFromGlobalClusterCommand,
  type NeptuneClient,
} from "@aws-sdk/client-neptune";
import { inProcess, REGION } from "../helpers/harness.js";
import { invalidCombination } from "./faults.js";
import { clusterArnIn, neptuneIn, rows, WEST, type Env } from "./global-fixtures.js";
import { assertRefused } from "./refusals.js";
import { createCluster, createInstance, describeInstance, MINUTE, modifyInstance } from "./resources.js";

/** AWS's refusal of a class global databases don't take (observed for Aurora, terraform-provider-aws#27736). */
const classRefused = (instanceClass: string) => {
  const message = `The requested instance class is not supported by global databases: ${instanceClass}`;
  return { ...invalidCombination(message), code: "InvalidParameterCombination", message };
};

/** A global database `world` with the primary `east` in us-east-1 and the secondary `west` in us-west-2. */
async function globalDatabase(env: Env): Promise<NeptuneClient> {
  await env.a.neptune.send(new CreateGlobalClusterCommand({ GlobalClusterIdentifier: "world", Engine: "neptune" }));
  env.clock.advance(MINUTE);
  const west = neptuneIn(env, WEST);
  await createCluster(env.a.neptune, "east", { GlobalClusterIdentifier: "world" });
  await createCluster(west, "west", { GlobalClusterIdentifier: "world" });
  return west;
}

describe("the instance classes of a global database's members", () => {
  test("a member refuses burstable and serverless classes on CreateDBInstance and ModifyDBInstance; r5 and later are taken", async () => {
    const env = inProcess();
    const west = await globalDatabase(env);
    await createInstance(env.a.neptune, "east", "e1");
    await createInstance(west, "west", "w1", { DBInstanceClass: "db.r6g.large" });
    const before = rows(env);
    for (const instanceClass of ["db.t3.medium", "db.t4g.medium", "db.serverless"]) {
      await assertRefused(
        env,
        "CreateDBInstance",
        { DBClusterIdentifier: "east", DBInstanceIdentifier: "e2", Engine: "neptune", DBInstanceClass: instanceClass },
        classRefused(instanceClass),
      );
    }
    await assertRefused(
      env,
      "ModifyDBInstance",
      { DBInstanceIdentifier: "e1", DBInstanceClass: "db.t4g.medium", ApplyImmediately: true },
      classRefused("db.t4g.medium"),
    );
    // Without ApplyImmediately the change would wait for the window: refused all the same.
    await assertRefused(
      env,
      "ModifyDBInstance",
      { DBInstanceIdentifier: "e1", DBInstanceClass: "db.t3.medium" },
      classRefused("db.t3.medium"),
    );
    assert.deepEqual(rows(env), before);

    for (const instanceClass of ["db.r5d.large", "db.r6i.xlarge", "db.x2g.large"]) {
      const id = instanceClass.replace(/\W/g, "-");
      assert.equal(
        (await createInstance(west, "west", id, { DBInstanceClass: instanceClass })).DBInstanceClass,
        instanceClass,
      );
    }
    await modifyInstance(env.a.neptune, "e1", { DBInstanceClass: "db.r6g.xlarge", ApplyImmediately: true });
    assert.equal((await describeInstance(env.a.neptune, "e1")).DBInstanceClass, "db.r6g.xlarge");
  });

  test("a standalone cluster takes every class; once detached, a former member does too", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "solo");
    assert.equal(
      (await createInstance(env.a.neptune, "solo", "s1", { DBInstanceClass: "db.t3.medium" })).DBInstanceClass,
      "db.t3.medium",
    );
    const west = await globalDatabase(env);
    await env.a.neptune.send(
      new RemoveFromGlobalClusterCommand({
        GlobalClusterIdentifier: "world",
        DbClusterIdentifier: clusterArnIn(WEST, "west"),
      }),
    );
    assert.equal(
      (await createInstance(west, "west", "w1", { DBInstanceClass: "db.t4g.medium" })).DBInstanceClass,
      "db.t4g.medium",
    );
  });

  test("CreateGlobalCluster from a cluster with an instance of such a class is refused, and changes nothing", async () => {
    const env = inProcess();
    await createCluster(env.a.neptune, "graph");
    await createInstance(env.a.neptune, "graph", "g1");
    await createInstance(env.a.neptune, "graph", "g2", { DBInstanceClass: "db.t4g.medium" });
    const before = rows(env);
    const request = { GlobalClusterIdentifier: "world", SourceDBClusterIdentifier: clusterArnIn(REGION, "graph") };
    await assertRefused(env, "CreateGlobalCluster", request, classRefused("db.t4g.medium"));
    assert.deepEqual(rows(env), before);

    // A class change to one that qualifies, still pending, is not enough: the instance runs its class until then.
    await modifyInstance(env.a.neptune, "g2", { DBInstanceClass: "db.r5.large" });
    await assertRefused(env, "CreateGlobalCluster", request, classRefused("db.t4g.medium"));
    await modifyInstance(env.a.neptune, "g2", { DBInstanceClass: "db.r5.large", ApplyImmediately: true });
    const created = await env.a.neptune.send(new CreateGlobalClusterCommand(request));
    assert.deepEqual(
      created.GlobalCluster!.GlobalClusterMembers!.map((m) => m.DBClusterArn),
      [clusterArnIn(REGION, "graph")],
    );
    const classes = (await env.a.neptune.send(new DescribeDBInstancesCommand({}))).DBInstances!.map(
      (i) => i.DBInstanceClass,
    );
    assert.deepEqual(classes, ["db.r5.large", "db.r5.large"]);
  });
});
