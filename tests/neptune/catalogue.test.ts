import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeDBEngineVersionsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  DescribeValidDBInstanceModificationsCommand,
} from "@aws-sdk/client-neptune";
import { A, ADMIN, inProcess, REGION } from "../helpers/harness.js";
import { instanceNotFound, invalidIdentifier, invalidValue } from "./faults.js";
import { assertFault, assertRefused, assertWire, rdsQuery } from "./refusals.js";
import { createCluster, createInstance } from "./resources.js";

describe("DescribeDBEngineVersions", () => {
  test("lists Neptune 1.2, 1.3 and 1.4 releases with their parameter group families", async () => {
    const { a } = inProcess();
    const out = await a.neptune.send(new DescribeDBEngineVersionsCommand({}));
    const versions = out.DBEngineVersions!;
    assert.ok(versions.length >= 6);
    for (const v of versions) {
      assert.equal(v.Engine, "neptune");
      assert.equal(v.DBParameterGroupFamily, `neptune${v.EngineVersion!.split(".").slice(0, 2).join(".")}`);
      assert.deepEqual(v.ExportableLogTypes, ["audit", "slowquery"]);
      assert.equal(v.SupportsLogExportsToCloudwatchLogs, true);
    }
    assert.deepEqual(
      [...new Set(versions.map((v) => v.DBParameterGroupFamily))],
      ["neptune1.2", "neptune1.3", "neptune1.4"],
    );
    assert.equal(out.Marker, undefined);
  });

  test("upgrade targets are later releases; crossing 1.x families is a major version upgrade", async () => {
    const { a } = inProcess();
    const out = await a.neptune.send(
      new DescribeDBEngineVersionsCommand({ Engine: "neptune", EngineVersion: "1.3.2.1" }),
    );
    assert.equal(out.DBEngineVersions!.length, 1);
    const targets = out.DBEngineVersions![0]!.ValidUpgradeTarget!;
    assert.deepEqual(
      targets.filter((t) => !t.IsMajorVersionUpgrade).map((t) => t.EngineVersion),
      ["1.3.3.0", "1.3.4.0"],
    );
    assert.ok(targets.filter((t) => t.IsMajorVersionUpgrade).every((t) => t.EngineVersion!.startsWith("1.4.")));
  });

  test("DefaultOnly, family and filters narrow the list", async () => {
    const { a } = inProcess();
    const only = await a.neptune.send(new DescribeDBEngineVersionsCommand({ Engine: "neptune", DefaultOnly: true }));
    assert.equal(only.DBEngineVersions!.length, 1);
    const family = await a.neptune.send(new DescribeDBEngineVersionsCommand({ DBParameterGroupFamily: "neptune1.2" }));
    assert.ok(family.DBEngineVersions!.every((v) => v.EngineVersion!.startsWith("1.2.")));
    const filtered = await a.neptune.send(
      new DescribeDBEngineVersionsCommand({ Filters: [{ Name: "engine-version", Values: ["1.4.1.0", "1.2.1.0"] }] }),
    );
    assert.deepEqual(
      filtered.DBEngineVersions!.map((v) => v.EngineVersion),
      ["1.2.1.0", "1.4.1.0"],
    );
    const none = await a.neptune.send(new DescribeDBEngineVersionsCommand({ EngineVersion: "9.9.9.9" }));
    assert.deepEqual(none.DBEngineVersions, []);
  });

  test("another engine on the shared RDS endpoint is refused: InvalidParameterValue", async () => {
    const { a, raw } = inProcess();
    await assertFault(
      () => a.neptune.send(new DescribeDBEngineVersionsCommand({ Engine: "aurora-mysql" })),
      invalidValue("Unrecognized engine name: aurora-mysql"),
    );
    assertWire(await rdsQuery(raw, "DescribeDBEngineVersions", { Engine: "postgres" }), {
      code: "InvalidParameterValue",
      status: 400,
    });
  });

  test("MaxRecords outside 20–100 gets RDS's message; an unknown filter is refused", async () => {
    const { a } = inProcess();
    for (const MaxRecords of [19, 101]) {
      await assertFault(
        () => a.neptune.send(new DescribeDBEngineVersionsCommand({ MaxRecords })),
        invalidValue(`Invalid value ${MaxRecords} for MaxRecords. Must be between 20 and 100`),
      );
    }
    await assertFault(
      () => a.neptune.send(new DescribeDBEngineVersionsCommand({ Filters: [{ Name: "colour", Values: ["blue"] }] })),
      invalidValue("Unrecognized filter name: colour."),
    );
  });
});

describe("DescribeOrderableDBInstanceOptions", () => {
  test("Engine is required: MissingParameter", async () => {
    const { raw } = inProcess();
    assertWire(await rdsQuery(raw, "DescribeOrderableDBInstanceOptions", {}), {
      code: "MissingParameter",
      status: 400,
      message: "The request must contain the parameter Engine",
    });
  });

  test("offers r5, r6g, t3, t4g, x2g and serverless classes in the region's zones", async () => {
    const { a } = inProcess();
    const out = await a.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", EngineVersion: "1.3.4.0", MaxRecords: 100 }),
    );
    const classes = out.OrderableDBInstanceOptions!.map((o) => o.DBInstanceClass);
    for (const cls of [
      "db.r5.large",
      "db.r6g.xlarge",
      "db.t3.medium",
      "db.t4g.medium",
      "db.x2g.2xlarge",
      "db.serverless",
    ]) {
      assert.ok(classes.includes(cls), cls);
    }
    const r6g = out.OrderableDBInstanceOptions!.find((o) => o.DBInstanceClass === "db.r6g.large")!;
    assert.equal(r6g.Engine, "neptune");
    assert.equal(r6g.EngineVersion, "1.3.4.0");
    assert.equal(r6g.LicenseModel, "amazon-license");
    assert.equal(r6g.Vpc, true);
    assert.equal(r6g.SupportsStorageEncryption, true);
    assert.equal(r6g.SupportsIAMDatabaseAuthentication, true);
    assert.deepEqual(
      r6g.AvailabilityZones!.map((z) => z.Name),
      ["a", "b", "c", "d", "e", "f"].map((l) => `${REGION}${l}`),
    );
    const t3 = out.OrderableDBInstanceOptions!.find((o) => o.DBInstanceClass === "db.t3.medium")!;
    assert.equal(t3.SupportsGlobalDatabases, false);
  });

  test("pages through every option with Marker, without repeats", async () => {
    const { a } = inProcess();
    const all = await a.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", DBInstanceClass: "db.r5.large" }),
    );
    assert.equal(all.OrderableDBInstanceOptions!.length, 9); // one per engine version
    const seen: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const page = await a.neptune.send(
        new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", MaxRecords: 20, Marker }),
      );
      assert.ok(page.OrderableDBInstanceOptions!.length <= 20);
      seen.push(...page.OrderableDBInstanceOptions!.map((o) => `${o.EngineVersion}/${o.DBInstanceClass}`));
      Marker = page.Marker;
      pages++;
    } while (Marker);
    assert.equal(new Set(seen).size, seen.length);
    const first = await a.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", MaxRecords: 100 }),
    );
    assert.ok(first.Marker, "more than 100 options, so a second page");
    assert.ok(pages > 2);
    assert.ok(seen.length > 100);
  });

  test("a class, a version or a VPC flag that matches nothing answers an empty list; other engines are refused", async () => {
    const { a } = inProcess();
    const none = await a.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", DBInstanceClass: "db.m5.large" }),
    );
    assert.deepEqual(none.OrderableDBInstanceOptions, []);
    const noVpc = await a.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({ Engine: "neptune", Vpc: false }),
    );
    assert.deepEqual(noVpc.OrderableDBInstanceOptions, []);
    await assertFault(
      () => a.neptune.send(new DescribeOrderableDBInstanceOptionsCommand({ Engine: "mysql" })),
      invalidValue("Unrecognized engine name: mysql"),
    );
  });

  test("another region lists its own three zones", async () => {
    const { clientsFor } = inProcess();
    const eu = clientsFor(ADMIN[A]!, "eu-west-1");
    const out = await eu.neptune.send(
      new DescribeOrderableDBInstanceOptionsCommand({
        Engine: "neptune",
        DBInstanceClass: "db.r6g.large",
        EngineVersion: "1.4.4.0",
      }),
    );
    assert.deepEqual(
      out.OrderableDBInstanceOptions![0]!.AvailabilityZones!.map((z) => z.Name),
      ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    );
  });
});

describe("DescribeValidDBInstanceModifications", () => {
  test("an instance that does not exist: DBInstanceNotFound (404), the wire code without Fault", async () => {
    await assertRefused(
      inProcess(),
      "DescribeValidDBInstanceModifications",
      { DBInstanceIdentifier: "nope" },
      instanceNotFound("nope"),
    );
  });

  test("an invalid identifier is InvalidParameterValue", async () => {
    const { a } = inProcess();
    await assertFault(
      () => a.neptune.send(new DescribeValidDBInstanceModificationsCommand({ DBInstanceIdentifier: "bad--name" })),
      invalidValue(invalidIdentifier("DBInstanceIdentifier")),
    );
  });
});

describe("DescribeValidDBInstanceModifications of an instance", () => {
  test("an instance of the caller's: no storage options (storage is the cluster volume); B can't ask about it", async () => {
    const { a, b } = inProcess();
    await createCluster(a.neptune, "graph");
    await createInstance(a.neptune, "graph", "graph-1", { DBInstanceClass: "db.r6g.large" });
    const out = await a.neptune.send(
      new DescribeValidDBInstanceModificationsCommand({ DBInstanceIdentifier: "GRAPH-1" }),
    );
    assert.deepEqual(out.ValidDBInstanceModificationsMessage, { Storage: [] });
    const arn = `arn:aws:rds:${REGION}:${A}:db:graph-1`;
    const byArn = await a.neptune.send(new DescribeValidDBInstanceModificationsCommand({ DBInstanceIdentifier: arn }));
    assert.deepEqual(byArn.ValidDBInstanceModificationsMessage, { Storage: [] });
    await assertFault(
      () => b.neptune.send(new DescribeValidDBInstanceModificationsCommand({ DBInstanceIdentifier: arn })),
      instanceNotFound(arn),
    );
  });
});
