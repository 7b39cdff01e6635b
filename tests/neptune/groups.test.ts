import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  CopyDBClusterParameterGroupCommand,
  CopyDBParameterGroupCommand,
  CreateDBParameterGroupCommand,
  CreateDBSubnetGroupCommand,
  DeleteDBClusterCommand,
  DeleteDBClusterParameterGroupCommand,
  DeleteDBInstanceCommand,
  DeleteDBParameterGroupCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClusterParametersCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBParametersCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEngineDefaultClusterParametersCommand,
  DescribeEngineDefaultParametersCommand,
  DescribeEventsCommand,
  ModifyDBClusterParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  ModifyDBSubnetGroupCommand,
  ResetDBClusterParameterGroupCommand,
  ResetDBParameterGroupCommand,
  type NeptuneClient,
  type Parameter,
  type ResetDBClusterParameterGroupCommandInput,
} from "@aws-sdk/client-neptune";
import { A, B, inProcess, REGION } from "../helpers/harness.js";
import { type Fault, invalidCombination, invalidValue } from "./faults.js";
import { assertFault, assertRefused, assertWire, rdsQuery } from "./refusals.js";
import {
  createCluster,
  createClusterParameterGroup,
  createInstance,
  createInstanceParameterGroup,
  createSubnetGroup,
  defaultSubnetIds,
} from "./resources.js";

async function clusterParameter(client: NeptuneClient, group: string, name: string): Promise<Parameter> {
  const out = await client.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group }));
  return out.Parameters!.find((p) => p.ParameterName === name)!;
}

describe("DB cluster parameter groups: defaults", () => {
  test("every account has a default group per family, computed for it", async () => {
    const { a, b } = inProcess();
    const out = await a.neptune.send(new DescribeDBClusterParameterGroupsCommand({}));
    assert.deepEqual(
      out.DBClusterParameterGroups,
      ["neptune1.2", "neptune1.3", "neptune1.4"].map((family) => ({
        DBClusterParameterGroupName: `default.${family}`,
        DBParameterGroupFamily: family,
        Description: `Default cluster parameter group for ${family}`,
        DBClusterParameterGroupArn: `arn:aws:rds:${REGION}:${A}:cluster-pg:default.${family}`,
      })),
    );
    const inB = await b.neptune.send(
      new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: "default.neptune1.3" }),
    );
    assert.equal(
      inB.DBClusterParameterGroups![0]!.DBClusterParameterGroupArn,
      `arn:aws:rds:${REGION}:${B}:cluster-pg:default.neptune1.3`,
    );
  });

  test("a default group's parameters are the engine defaults", async () => {
    const { a } = inProcess();
    const out = await a.neptune.send(
      new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: "default.neptune1.3" }),
    );
    const names = out.Parameters!.map((p) => p.ParameterName);
    for (const name of [
      "neptune_enable_audit_log",
      "neptune_query_timeout",
      "neptune_lab_mode",
      "neptune_streams",
      "neptune_lookup_cache",
      "neptune_ml_iam_role",
      "neptune_result_cache",
    ]) {
      assert.ok(names.includes(name), name);
    }
    const timeout = out.Parameters!.find((p) => p.ParameterName === "neptune_query_timeout")!;
    assert.deepEqual(timeout, {
      ParameterName: "neptune_query_timeout",
      ParameterValue: "120000",
      Description: "Graph query timeout (ms)",
      Source: "engine-default",
      ApplyType: "dynamic",
      DataType: "integer",
      AllowedValues: "10-2147483647",
      IsModifiable: true,
      ApplyMethod: "pending-reboot",
    });
    const audit = out.Parameters!.find((p) => p.ParameterName === "neptune_enable_audit_log")!;
    assert.equal(audit.ParameterValue, "0");
    assert.equal(audit.ApplyType, "static");
    assert.equal(audit.AllowedValues, "0,1");
  });

  test("a default group can't be modified, reset or deleted", async () => {
    const { a, raw } = inProcess();
    const notModifiable = invalidValue("Cannot modify a default parameter group.");
    const group = { DBClusterParameterGroupName: "default.neptune1.3" };
    const timeout = {
      ParameterName: "neptune_query_timeout",
      ParameterValue: "60000",
      ApplyMethod: "immediate" as const,
    };
    await assertFault(
      () => a.neptune.send(new ModifyDBClusterParameterGroupCommand({ ...group, Parameters: [timeout] })),
      notModifiable,
    );
    await assertFault(
      () => a.neptune.send(new ResetDBClusterParameterGroupCommand({ ...group, ResetAllParameters: true })),
      notModifiable,
    );
    await assertFault(() => a.neptune.send(new DeleteDBClusterParameterGroupCommand(group)), {
      name: "InvalidDBParameterGroupStateFault",
      status: 400,
      message: "Default DBClusterParameterGroup cannot be deleted: default.neptune1.3",
    });
    assertWire(
      await rdsQuery(raw, "DeleteDBClusterParameterGroup", { DBClusterParameterGroupName: "default.neptune1.4" }),
      { code: "InvalidDBParameterGroupState", status: 400 },
    );
  });
});

describe("DB cluster parameter groups: custom", () => {
  test("create: stored lowercase, found case-insensitively, by name or own ARN", async () => {
    const { a } = inProcess();
    const created = await createClusterParameterGroup(a.neptune, "My-Graph-Params");
    assert.deepEqual(created.DBClusterParameterGroup, {
      DBClusterParameterGroupName: "my-graph-params",
      DBParameterGroupFamily: "neptune1.3",
      Description: "My-Graph-Params group",
      DBClusterParameterGroupArn: `arn:aws:rds:${REGION}:${A}:cluster-pg:my-graph-params`,
    });
    const byName = await a.neptune.send(
      new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: "MY-GRAPH-PARAMS" }),
    );
    assert.equal(byName.DBClusterParameterGroups!.length, 1);
    const byArn = await a.neptune.send(
      new DescribeDBClusterParameterGroupsCommand({
        DBClusterParameterGroupName: created.DBClusterParameterGroup!.DBClusterParameterGroupArn,
      }),
    );
    assert.equal(byArn.DBClusterParameterGroups![0]!.DBClusterParameterGroupName, "my-graph-params");
    const all = await a.neptune.send(new DescribeDBClusterParameterGroupsCommand({}));
    assert.deepEqual(
      all.DBClusterParameterGroups!.map((g) => g.DBClusterParameterGroupName),
      ["default.neptune1.2", "default.neptune1.3", "default.neptune1.4", "my-graph-params"],
    );
  });

  test("create: duplicate, invalid name, unknown family", async () => {
    const { a, raw } = inProcess();
    await createClusterParameterGroup(a.neptune, "dup");
    await assertRefused(
      { a, raw },
      "CreateDBClusterParameterGroup",
      { DBClusterParameterGroupName: "DUP", DBParameterGroupFamily: "neptune1.3", Description: "d" },
      {
        name: "DBParameterGroupAlreadyExistsFault",
        code: "DBParameterGroupAlreadyExists",
        status: 400,
        message: "Parameter group dup already exists",
      },
    );
    await assertFault(
      () => createClusterParameterGroup(a.neptune, "default.neptune1.3"),
      invalidValue(/^The parameter DBClusterParameterGroupName is not a valid identifier\./),
    );
    for (const name of ["1abc", "a--b", "ends-", "has_underscore"]) {
      await assertFault(() => createClusterParameterGroup(a.neptune, name), invalidValue(/is not a valid identifier/));
    }
    await assertFault(
      () => createClusterParameterGroup(a.neptune, "ok", { DBParameterGroupFamily: "mysql8.0" }),
      invalidValue(/not a valid parameter group family: mysql8\.0$/),
    );
  });

  test("modify sets user values; describe shows Source user and can filter by Source", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "tuned");
    const out = await a.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "Tuned",
        Parameters: [
          { ParameterName: "neptune_query_timeout", ParameterValue: "60000", ApplyMethod: "immediate" },
          { ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" },
        ],
      }),
    );
    assert.equal(out.DBClusterParameterGroupName, "tuned");
    const timeout = await clusterParameter(a.neptune, "tuned", "neptune_query_timeout");
    assert.equal(timeout.ParameterValue, "60000");
    assert.equal(timeout.Source, "user");
    assert.equal(timeout.ApplyMethod, "immediate");
    const user = await a.neptune.send(
      new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: "tuned", Source: "user" }),
    );
    assert.deepEqual(
      user.Parameters!.map((p) => p.ParameterName),
      ["neptune_query_timeout", "neptune_streams"],
    );
    const engine = await a.neptune.send(
      new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: "tuned", Source: "engine-default" }),
    );
    assert.ok(!engine.Parameters!.some((p) => p.ParameterName === "neptune_streams"));
  });

  test("modify refuses unknown parameters, bad values, unmodifiable ones and immediate for static ones", async () => {
    const { a, raw } = inProcess();
    await createClusterParameterGroup(a.neptune, "strict");
    const modify = (Parameters: Parameter[]) =>
      a.neptune.send(new ModifyDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "strict", Parameters }));
    const refusals: [Parameter[], Fault][] = [
      [
        [{ ParameterName: "max_connections", ParameterValue: "5", ApplyMethod: "immediate" }],
        invalidValue("Could not find parameter with name: max_connections"),
      ],
      [
        [{ ParameterName: "neptune_streams", ParameterValue: "2", ApplyMethod: "pending-reboot" }],
        invalidValue("Invalid parameter value: 2 for: neptune_streams allowed values are: 0,1"),
      ],
      [
        [{ ParameterName: "neptune_query_timeout", ParameterValue: "5", ApplyMethod: "immediate" }],
        invalidValue("Invalid parameter value: 5 for: neptune_query_timeout allowed values are: 10-2147483647"),
      ],
      [
        [{ ParameterName: "neptune_enforce_ssl", ParameterValue: "0", ApplyMethod: "pending-reboot" }],
        invalidValue("The parameter neptune_enforce_ssl cannot be modified."),
      ],
      [
        [{ ParameterName: "neptune_enable_audit_log", ParameterValue: "1", ApplyMethod: "immediate" }],
        invalidCombination("cannot use immediate apply method for static parameter"),
      ],
      [
        Array.from({ length: 21 }, () => ({
          ParameterName: "neptune_query_timeout",
          ParameterValue: "1000",
          ApplyMethod: "immediate" as const,
        })),
        invalidValue("You can modify up to 20 parameters in a single request."),
      ],
    ];
    for (const [parameters, fault] of refusals) await assertFault(() => modify(parameters), fault);
    // Nothing of a refused request was applied.
    assert.equal((await clusterParameter(a.neptune, "strict", "neptune_query_timeout")).Source, "engine-default");
    // An empty Parameters list arrives as `Parameters=`: the parameter is missing.
    assertWire(
      await rdsQuery(raw, "ModifyDBClusterParameterGroup", { DBClusterParameterGroupName: "strict", Parameters: "" }),
      { code: "MissingParameter", status: 400 },
    );
  });

  test("reset one parameter, then all; both or neither is refused", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "resettable");
    await a.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "resettable",
        Parameters: [
          { ParameterName: "neptune_query_timeout", ParameterValue: "60000", ApplyMethod: "immediate" },
          { ParameterName: "neptune_lab_mode", ParameterValue: "ObjectIndex=enabled", ApplyMethod: "pending-reboot" },
        ],
      }),
    );
    const one = await a.neptune.send(
      new ResetDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "resettable",
        Parameters: [{ ParameterName: "neptune_query_timeout", ApplyMethod: "immediate" }],
      }),
    );
    assert.equal(one.DBClusterParameterGroupName, "resettable");
    assert.equal((await clusterParameter(a.neptune, "resettable", "neptune_query_timeout")).ParameterValue, "120000");
    assert.equal(
      (await clusterParameter(a.neptune, "resettable", "neptune_lab_mode")).ParameterValue,
      "ObjectIndex=enabled",
    );
    await a.neptune.send(
      new ResetDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "resettable", ResetAllParameters: true }),
    );
    const user = await a.neptune.send(
      new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: "resettable", Source: "user" }),
    );
    assert.deepEqual(user.Parameters, []);
    const reset = (input: Omit<ResetDBClusterParameterGroupCommandInput, "DBClusterParameterGroupName">) =>
      a.neptune.send(new ResetDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "resettable", ...input }));
    const refusals: [Omit<ResetDBClusterParameterGroupCommandInput, "DBClusterParameterGroupName">, Fault][] = [
      [
        { ResetAllParameters: true, Parameters: [{ ParameterName: "neptune_streams" }] },
        invalidCombination("Cannot specify both ResetAllParameters and Parameters."),
      ],
      [{}, invalidCombination("Either ResetAllParameters must be true or Parameters must be specified.")],
      [{ Parameters: [{ ParameterName: "nope" }] }, invalidValue("Could not find parameter with name: nope")],
    ];
    for (const [input, fault] of refusals) await assertFault(() => reset(input), fault);
  });

  test("copy keeps the family and the user values; source must exist, target must not", async () => {
    const { a, raw } = inProcess();
    await createClusterParameterGroup(a.neptune, "original", { DBParameterGroupFamily: "neptune1.4" });
    await a.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "original",
        Parameters: [
          { ParameterName: "neptune_streams_expiry_days", ParameterValue: "30", ApplyMethod: "pending-reboot" },
        ],
      }),
    );
    const copied = await a.neptune.send(
      new CopyDBClusterParameterGroupCommand({
        SourceDBClusterParameterGroupIdentifier: `arn:aws:rds:${REGION}:${A}:cluster-pg:original`,
        TargetDBClusterParameterGroupIdentifier: "Copy-Of-Original",
        TargetDBClusterParameterGroupDescription: "a copy",
      }),
    );
    assert.deepEqual(copied.DBClusterParameterGroup, {
      DBClusterParameterGroupName: "copy-of-original",
      DBParameterGroupFamily: "neptune1.4",
      Description: "a copy",
      DBClusterParameterGroupArn: `arn:aws:rds:${REGION}:${A}:cluster-pg:copy-of-original`,
    });
    assert.equal(
      (await clusterParameter(a.neptune, "copy-of-original", "neptune_streams_expiry_days")).ParameterValue,
      "30",
    );
    // The copy is independent of its source.
    await a.neptune.send(
      new ResetDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "original", ResetAllParameters: true }),
    );
    assert.equal(
      (await clusterParameter(a.neptune, "copy-of-original", "neptune_streams_expiry_days")).ParameterValue,
      "30",
    );
    // A default group can be copied.
    const fromDefault = await a.neptune.send(
      new CopyDBClusterParameterGroupCommand({
        SourceDBClusterParameterGroupIdentifier: "default.neptune1.2",
        TargetDBClusterParameterGroupIdentifier: "from-default",
        TargetDBClusterParameterGroupDescription: "d",
      }),
    );
    assert.equal(fromDefault.DBClusterParameterGroup!.DBParameterGroupFamily, "neptune1.2");
    const missing = {
      SourceDBClusterParameterGroupIdentifier: "missing",
      TargetDBClusterParameterGroupIdentifier: "x",
      TargetDBClusterParameterGroupDescription: "d",
    };
    await assertRefused({ a, raw }, "CopyDBClusterParameterGroup", missing, {
      name: "DBParameterGroupNotFoundFault",
      code: "DBParameterGroupNotFound",
      status: 404,
      message: "DBClusterParameterGroup not found: missing",
    });
    await assertFault(
      () =>
        a.neptune.send(
          new CopyDBClusterParameterGroupCommand({
            SourceDBClusterParameterGroupIdentifier: "original",
            TargetDBClusterParameterGroupIdentifier: "from-default",
            TargetDBClusterParameterGroupDescription: "d",
          }),
        ),
      {
        name: "DBParameterGroupAlreadyExistsFault",
        status: 400,
        message: "Parameter group from-default already exists",
      },
    );
  });

  test("delete removes the group: it is then not found", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "short-lived");
    await a.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "Short-Lived" }));
    await assertFault(
      () => a.neptune.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: "short-lived" })),
      {
        name: "DBParameterGroupNotFoundFault",
        status: 404,
        message: "DBClusterParameterGroup not found: short-lived",
      },
    );
    await assertFault(
      () => a.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "short-lived" })),
      {
        name: "DBParameterGroupNotFoundFault",
        status: 404,
      },
    );
    await assertFault(
      () => a.neptune.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: "short-lived" })),
      {
        name: "DBParameterGroupNotFoundFault",
        status: 404,
        message: "DBClusterParameterGroup not found: short-lived",
      },
    );
  });

  test("at most 50 custom groups per account and region", async () => {
    const { a, b } = inProcess();
    for (let i = 0; i < 50; i++) await createClusterParameterGroup(a.neptune, `group-${i}`);
    await assertFault(() => createClusterParameterGroup(a.neptune, "one-too-many"), {
      name: "DBParameterGroupQuotaExceededFault",
      status: 400,
      message: "The request cannot be processed because it would exceed the maximum number of parameter groups.",
    });
    await createClusterParameterGroup(b.neptune, "one-too-many"); // B has its own quota
    // Pages of the 53 groups.
    const first = await a.neptune.send(new DescribeDBClusterParameterGroupsCommand({ MaxRecords: 20 }));
    assert.equal(first.DBClusterParameterGroups!.length, 20);
    const second = await a.neptune.send(
      new DescribeDBClusterParameterGroupsCommand({ MaxRecords: 20, Marker: first.Marker }),
    );
    const third = await a.neptune.send(
      new DescribeDBClusterParameterGroupsCommand({ MaxRecords: 20, Marker: second.Marker }),
    );
    assert.equal(third.DBClusterParameterGroups!.length, 13);
    assert.equal(third.Marker, undefined);
  });

  test("a modification is reported by DescribeEvents as a parameter group configuration change", async () => {
    const { a } = inProcess();
    await createClusterParameterGroup(a.neptune, "watched");
    await a.neptune.send(
      new ModifyDBClusterParameterGroupCommand({
        DBClusterParameterGroupName: "watched",
        Parameters: [{ ParameterName: "neptune_query_timeout", ParameterValue: "30000", ApplyMethod: "immediate" }],
      }),
    );
    const out = await a.neptune.send(
      new DescribeEventsCommand({ SourceType: "db-parameter-group", SourceIdentifier: "watched" }),
    );
    assert.equal(out.Events!.length, 1);
    assert.equal(
      out.Events![0]!.Message,
      "Updated parameter neptune_query_timeout to 30000 with apply method immediate",
    );
    assert.deepEqual(out.Events![0]!.EventCategories, ["configuration change"]);
    assert.equal(out.Events![0]!.SourceArn, `arn:aws:rds:${REGION}:${A}:cluster-pg:watched`);
  });
});

describe("DB cluster parameter groups: isolation", () => {
  test("B can't see, modify, copy or delete A's group, by name or by ARN", async () => {
    const { a, b } = inProcess();
    await createClusterParameterGroup(a.neptune, "private-params");
    const arn = `arn:aws:rds:${REGION}:${A}:cluster-pg:private-params`;
    for (const name of ["private-params", arn]) {
      await assertFault(
        () => b.neptune.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name })),
        {
          name: "DBParameterGroupNotFoundFault",
          status: 404,
          message: `DBClusterParameterGroup not found: ${name}`,
        },
      );
      await assertFault(
        () =>
          b.neptune.send(
            new ModifyDBClusterParameterGroupCommand({
              DBClusterParameterGroupName: name,
              Parameters: [
                { ParameterName: "neptune_query_timeout", ParameterValue: "1000", ApplyMethod: "immediate" },
              ],
            }),
          ),
        { name: "DBParameterGroupNotFoundFault", status: 404 },
      );
      await assertFault(
        () => b.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: name })),
        { name: "DBParameterGroupNotFoundFault", status: 404 },
      );
      await assertFault(
        () =>
          b.neptune.send(
            new CopyDBClusterParameterGroupCommand({
              SourceDBClusterParameterGroupIdentifier: name,
              TargetDBClusterParameterGroupIdentifier: "stolen",
              TargetDBClusterParameterGroupDescription: "d",
            }),
          ),
        { name: "DBParameterGroupNotFoundFault", status: 404 },
      );
    }
    const listed = await b.neptune.send(new DescribeDBClusterParameterGroupsCommand({}));
    assert.ok(!listed.DBClusterParameterGroups!.some((g) => g.DBClusterParameterGroupName === "private-params"));
    // A's group is untouched and B's own group of the same name is a different group.
    assert.equal(
      (await clusterParameter(a.neptune, "private-params", "neptune_query_timeout")).Source,
      "engine-default",
    );
    const mine = await createClusterParameterGroup(b.neptune, "private-params");
    assert.equal(
      mine.DBClusterParameterGroup!.DBClusterParameterGroupArn,
      `arn:aws:rds:${REGION}:${B}:cluster-pg:private-params`,
    );
  });
});

describe("DB parameter groups", () => {
  test("defaults, create, modify, describe, reset, copy and delete", async () => {
    const { a } = inProcess();
    const defaults = await a.neptune.send(new DescribeDBParameterGroupsCommand({}));
    assert.deepEqual(defaults.DBParameterGroups![1], {
      DBParameterGroupName: "default.neptune1.3",
      DBParameterGroupFamily: "neptune1.3",
      Description: "Default parameter group for neptune1.3",
      DBParameterGroupArn: `arn:aws:rds:${REGION}:${A}:pg:default.neptune1.3`,
    });
    const created = await a.neptune.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: "Instance-Params",
        DBParameterGroupFamily: "neptune1.4",
        Description: "per instance",
      }),
    );
    assert.equal(created.DBParameterGroup!.DBParameterGroupArn, `arn:aws:rds:${REGION}:${A}:pg:instance-params`);
    const params = await a.neptune.send(new DescribeDBParametersCommand({ DBParameterGroupName: "instance-params" }));
    assert.deepEqual(
      params.Parameters!.map((p) => p.ParameterName),
      ["neptune_dfe_query_engine", "neptune_query_timeout", "neptune_result_cache"],
    );
    assert.equal(params.Parameters![0]!.ParameterValue, "viaQueryHint");
    // Cluster-level parameters are not instance parameters.
    await assertFault(
      () =>
        a.neptune.send(
          new ModifyDBParameterGroupCommand({
            DBParameterGroupName: "instance-params",
            Parameters: [{ ParameterName: "neptune_streams", ParameterValue: "1", ApplyMethod: "pending-reboot" }],
          }),
        ),
      invalidValue("Could not find parameter with name: neptune_streams"),
    );
    const modified = await a.neptune.send(
      new ModifyDBParameterGroupCommand({
        DBParameterGroupName: "instance-params",
        Parameters: [
          { ParameterName: "neptune_dfe_query_engine", ParameterValue: "enabled", ApplyMethod: "pending-reboot" },
        ],
      }),
    );
    assert.equal(modified.DBParameterGroupName, "instance-params");
    const user = await a.neptune.send(
      new DescribeDBParametersCommand({ DBParameterGroupName: "instance-params", Source: "user" }),
    );
    assert.deepEqual(
      user.Parameters!.map((p) => [p.ParameterName, p.ParameterValue]),
      [["neptune_dfe_query_engine", "enabled"]],
    );
    const copy = await a.neptune.send(
      new CopyDBParameterGroupCommand({
        SourceDBParameterGroupIdentifier: "instance-params",
        TargetDBParameterGroupIdentifier: "instance-copy",
        TargetDBParameterGroupDescription: "copy",
      }),
    );
    assert.equal(copy.DBParameterGroup!.DBParameterGroupFamily, "neptune1.4");
    const reset = await a.neptune.send(
      new ResetDBParameterGroupCommand({ DBParameterGroupName: "instance-params", ResetAllParameters: true }),
    );
    assert.equal(reset.DBParameterGroupName, "instance-params");
    const copied = await a.neptune.send(
      new DescribeDBParametersCommand({ DBParameterGroupName: "instance-copy", Source: "user" }),
    );
    assert.equal(copied.Parameters!.length, 1);
    await a.neptune.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: "instance-params" }));
    await assertFault(
      () => a.neptune.send(new DescribeDBParametersCommand({ DBParameterGroupName: "instance-params" })),
      {
        name: "DBParameterGroupNotFoundFault",
        status: 404,
        message: "DBParameterGroup not found: instance-params",
      },
    );
    await assertFault(
      () => a.neptune.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: "default.neptune1.4" })),
      {
        name: "InvalidDBParameterGroupStateFault",
        status: 400,
        message: "Default DBParameterGroup cannot be deleted: default.neptune1.4",
      },
    );
    await assertFault(
      () =>
        a.neptune.send(
          new ModifyDBParameterGroupCommand({
            DBParameterGroupName: "default.neptune1.4",
            Parameters: [{ ParameterName: "neptune_result_cache", ParameterValue: "1", ApplyMethod: "pending-reboot" }],
          }),
        ),
      invalidValue("Cannot modify a default parameter group."),
    );
  });

  test("B can't read A's DB parameter group", async () => {
    const { a, b } = inProcess();
    await a.neptune.send(
      new CreateDBParameterGroupCommand({
        DBParameterGroupName: "a-only",
        DBParameterGroupFamily: "neptune1.3",
        Description: "d",
      }),
    );
    await assertFault(
      () =>
        b.neptune.send(
          new DescribeDBParametersCommand({ DBParameterGroupName: `arn:aws:rds:${REGION}:${A}:pg:a-only` }),
        ),
      {
        name: "DBParameterGroupNotFoundFault",
        status: 404,
      },
    );
    await assertFault(() => b.neptune.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: "a-only" })), {
      name: "DBParameterGroupNotFoundFault",
      status: 404,
    });
  });
});

describe("engine defaults", () => {
  test("DescribeEngineDefaultClusterParameters and DescribeEngineDefaultParameters per family", async () => {
    const { a, raw } = inProcess();
    const cluster = await a.neptune.send(
      new DescribeEngineDefaultClusterParametersCommand({ DBParameterGroupFamily: "neptune1.3" }),
    );
    assert.equal(cluster.EngineDefaults!.DBParameterGroupFamily, "neptune1.3");
    assert.ok(cluster.EngineDefaults!.Parameters!.every((p) => p.Source === "engine-default"));
    assert.ok(cluster.EngineDefaults!.Parameters!.some((p) => p.ParameterName === "neptune_enable_audit_log"));
    const instance = await a.neptune.send(
      new DescribeEngineDefaultParametersCommand({ DBParameterGroupFamily: "neptune1.4" }),
    );
    assert.deepEqual(
      instance.EngineDefaults!.Parameters!.map((p) => p.ParameterName),
      ["neptune_dfe_query_engine", "neptune_query_timeout", "neptune_result_cache"],
    );
    await assertFault(
      () =>
        a.neptune.send(
          new DescribeEngineDefaultClusterParametersCommand({ DBParameterGroupFamily: "aurora-mysql8.0" }),
        ),
      invalidValue(/not a valid parameter group family: aurora-mysql8\.0$/),
    );
    assertWire(await rdsQuery(raw, "DescribeEngineDefaultParameters", {}), {
      code: "MissingParameter",
      status: 400,
      message: "The request must contain the parameter DBParameterGroupFamily",
    });
  });
});

describe("DB subnet groups", () => {
  async function defaultSubnets(client: NeptuneClient) {
    const out = await client.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "default" }));
    return out.DBSubnetGroups![0]!;
  }

  test("every account has a `default` group over its default VPC, one subnet per zone", async () => {
    const { a, b } = inProcess();
    const inA = await defaultSubnets(a.neptune);
    assert.equal(inA.DBSubnetGroupName, "default");
    assert.equal(inA.DBSubnetGroupDescription, "default");
    assert.equal(inA.SubnetGroupStatus, "Complete");
    assert.match(inA.VpcId!, /^vpc-[0-9a-f]{17}$/);
    assert.equal(inA.DBSubnetGroupArn, `arn:aws:rds:${REGION}:${A}:subgrp:default`);
    assert.deepEqual(
      inA.Subnets!.map((s) => s.SubnetAvailabilityZone!.Name),
      ["a", "b", "c", "d", "e", "f"].map((l) => `${REGION}${l}`),
    );
    for (const subnet of inA.Subnets!) {
      assert.match(subnet.SubnetIdentifier!, /^subnet-[0-9a-f]{17}$/);
      assert.equal(subnet.SubnetStatus, "Active");
    }
    const inB = await defaultSubnets(b.neptune);
    assert.notEqual(inB.VpcId, inA.VpcId);
    // Stable: the same account sees the same VPC every time.
    assert.equal((await defaultSubnets(a.neptune)).VpcId, inA.VpcId);
  });

  test("create, describe, modify and delete a group of the default VPC's subnets", async () => {
    const { a } = inProcess();
    const subnets = await defaultSubnetIds(a.neptune);
    const created = await a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "Graph-Subnets",
        DBSubnetGroupDescription: "graph",
        SubnetIds: [subnets[0]!, subnets[1]!],
      }),
    );
    assert.equal(created.DBSubnetGroup!.DBSubnetGroupName, "graph-subnets");
    assert.equal(created.DBSubnetGroup!.DBSubnetGroupArn, `arn:aws:rds:${REGION}:${A}:subgrp:graph-subnets`);
    assert.deepEqual(
      created.DBSubnetGroup!.Subnets!.map((s) => s.SubnetIdentifier),
      [subnets[0], subnets[1]],
    );
    const all = await a.neptune.send(new DescribeDBSubnetGroupsCommand({}));
    assert.deepEqual(
      all.DBSubnetGroups!.map((g) => g.DBSubnetGroupName),
      ["default", "graph-subnets"],
    );
    const modified = await a.neptune.send(
      new ModifyDBSubnetGroupCommand({
        DBSubnetGroupName: "graph-subnets",
        DBSubnetGroupDescription: "three zones",
        SubnetIds: subnets.slice(0, 3),
      }),
    );
    assert.equal(modified.DBSubnetGroup!.Subnets!.length, 3);
    assert.equal(modified.DBSubnetGroup!.DBSubnetGroupDescription, "three zones");
    await assertFault(
      () =>
        a.neptune.send(
          new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: "GRAPH-subnets",
            DBSubnetGroupDescription: "again",
            SubnetIds: subnets,
          }),
        ),
      {
        name: "DBSubnetGroupAlreadyExistsFault",
        status: 400,
        message: "The DB subnet group 'graph-subnets' already exists.",
      },
    );
    await a.neptune.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "graph-subnets" }));
    await assertFault(() => a.neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "graph-subnets" })), {
      name: "DBSubnetGroupNotFoundFault",
      status: 404,
      message: "DB subnet group 'graph-subnets' does not exist.",
    });
  });

  test("subnets must exist and cover two zones", async () => {
    const { a, raw } = inProcess();
    const subnets = await defaultSubnetIds(a.neptune);
    const create = (SubnetIds: string[]) =>
      a.neptune.send(
        new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "bad", DBSubnetGroupDescription: "d", SubnetIds }),
      );
    await assertFault(() => create([subnets[0]!]), {
      name: "DBSubnetGroupDoesNotCoverEnoughAZs",
      status: 400,
      message: `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${REGION}a. Add subnets to cover at least 2 AZs.`,
    });
    await assertFault(() => create([subnets[0]!, "subnet-0123456789abcdef0"]), {
      name: "InvalidSubnet",
      status: 400,
      message: "Some input subnets in :[subnet-0123456789abcdef0] are invalid.",
    });
    const createRaw = (subnetIds: Record<string, string>) =>
      rdsQuery(raw, "CreateDBSubnetGroup", { DBSubnetGroupName: "bad", DBSubnetGroupDescription: "d", ...subnetIds });
    // An empty list arrives on the wire as `SubnetIds=`.
    assertWire(await createRaw({ SubnetIds: "" }), {
      code: "InvalidSubnet",
      status: 400,
      message: "Subnet IDs are required.",
    });
    assertWire(await createRaw({ "SubnetIds.SubnetIdentifier.1": subnets[0]! }), {
      code: "DBSubnetGroupDoesNotCoverEnoughAZs",
      status: 400,
    });
    // B's subnets are not A's.
    const { b } = inProcess();
    const subnetsOfB = await defaultSubnetIds(b.neptune);
    await assertFault(() => create(subnetsOfB.slice(0, 2)), { name: "InvalidSubnet", status: 400 });
  });

  test("the default group can't be created, modified or deleted; a missing group is not found", async () => {
    const { a, raw } = inProcess();
    const subnets = await defaultSubnetIds(a.neptune);
    await assertFault(
      () =>
        a.neptune.send(
          new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: "Default",
            DBSubnetGroupDescription: "d",
            SubnetIds: subnets,
          }),
        ),
      {
        name: "DBSubnetGroupAlreadyExistsFault",
        status: 400,
      },
    );
    await assertFault(
      () =>
        a.neptune.send(
          new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: "default", SubnetIds: subnets.slice(0, 2) }),
        ),
      invalidValue("Cannot modify the default DB subnet group."),
    );
    await assertFault(() => a.neptune.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "default" })), {
      name: "InvalidDBSubnetGroupStateFault",
      status: 400,
      message: "Cannot delete the default DB subnet group.",
    });
    assertWire(await rdsQuery(raw, "DeleteDBSubnetGroup", { DBSubnetGroupName: "ghost" }), {
      code: "DBSubnetGroupNotFoundFault",
      status: 404,
    });
    await assertFault(
      () =>
        a.neptune.send(new ModifyDBSubnetGroupCommand({ DBSubnetGroupName: "ghost", SubnetIds: subnets.slice(0, 2) })),
      {
        name: "DBSubnetGroupNotFoundFault",
        status: 404,
      },
    );
    await assertFault(
      () =>
        a.neptune.send(
          new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: "bad/name",
            DBSubnetGroupDescription: "d",
            SubnetIds: subnets,
          }),
        ),
      invalidValue(/^The parameter DBSubnetGroupName is not a valid identifier\./),
    );
  });

  test("B can't see or delete A's subnet group", async () => {
    const { a, b } = inProcess();
    const subnets = await defaultSubnetIds(a.neptune);
    await a.neptune.send(
      new CreateDBSubnetGroupCommand({
        DBSubnetGroupName: "a-net",
        DBSubnetGroupDescription: "d",
        SubnetIds: subnets.slice(0, 2),
      }),
    );
    for (const name of ["a-net", `arn:aws:rds:${REGION}:${A}:subgrp:a-net`]) {
      await assertFault(() => b.neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })), {
        name: "DBSubnetGroupNotFoundFault",
        status: 404,
      });
      await assertFault(() => b.neptune.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: name })), {
        name: "DBSubnetGroupNotFoundFault",
        status: 404,
      });
    }
    const listed = await b.neptune.send(new DescribeDBSubnetGroupsCommand({}));
    assert.deepEqual(
      listed.DBSubnetGroups!.map((g) => g.DBSubnetGroupName),
      ["default"],
    );
    assert.equal(
      (await a.neptune.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "a-net" }))).DBSubnetGroups!.length,
      1,
    );
  });
});

describe("groups in use", () => {
  test("a cluster parameter group, DB parameter group or subnet group in use can't be deleted", async () => {
    const { a, clock } = inProcess();
    await createClusterParameterGroup(a.neptune, "used-params");
    await createInstanceParameterGroup(a.neptune, "used-instance-params");
    await createSubnetGroup(a.neptune, "used-net", 3);
    const created = await createCluster(a.neptune, "user-cluster", {
      EngineVersion: "1.3.4.0",
      DBClusterParameterGroupName: "Used-Params",
      DBSubnetGroupName: "used-net",
    });
    assert.equal(created.DBClusterParameterGroup, "used-params");
    assert.equal(created.DBSubnetGroup, "used-net");
    clock.advance(1000);
    await createInstance(a.neptune, "user-cluster", "user-instance", {
      DBInstanceClass: "db.r6g.large",
      DBParameterGroupName: "used-instance-params",
    });
    await assertFault(
      () => a.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "used-params" })),
      {
        name: "InvalidDBParameterGroupStateFault",
        status: 400,
        message:
          "One or more database clusters are still members of this parameter group used-params, so the group cannot be deleted",
      },
    );
    await assertFault(
      () => a.neptune.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: "used-instance-params" })),
      {
        name: "InvalidDBParameterGroupStateFault",
        status: 400,
        message:
          "One or more database instances are still members of this parameter group used-instance-params, so the group cannot be deleted",
      },
    );
    await assertFault(() => a.neptune.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "used-net" })), {
      name: "InvalidDBSubnetGroupStateFault",
      status: 400,
      message:
        "Cannot delete the subnet group 'used-net' because at least one database cluster: user-cluster is still using it.",
    });
    // Once the instance and the cluster are gone, the groups can go too.
    await a.neptune.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "user-instance" }));
    await a.neptune.send(new DeleteDBClusterCommand({ DBClusterIdentifier: "user-cluster", SkipFinalSnapshot: true }));
    clock.advance(1000);
    await a.neptune.send(new DeleteDBParameterGroupCommand({ DBParameterGroupName: "used-instance-params" }));
    await a.neptune.send(new DeleteDBClusterParameterGroupCommand({ DBClusterParameterGroupName: "used-params" }));
    await a.neptune.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "used-net" }));
  });
});
