import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { loadModel } from "../../src/protocol/model.js";
import {
  deserializeQueryInput,
  parseForm,
  serializeQueryError,
  serializeQueryResponse,
} from "../../src/protocol/query.js";
import { AwsError } from "../../src/protocol/errors.js";

const neptune = loadModel("neptune");
const sts = loadModel("sts");

const read = (operation: string, form: string) =>
  deserializeQueryInput(neptune, neptune.operations[operation]!.input!.shape, parseForm(form));

describe("awsQuery requests", () => {
  test("list members are keyed by the member's locationName; an empty list arrives as `Key=`", () => {
    const input = read(
      "ModifyDBClusterSnapshotAttribute",
      "Action=ModifyDBClusterSnapshotAttribute&DBClusterSnapshotIdentifier=snap&AttributeName=restore&ValuesToAdd.AttributeValue.1=222222222222&ValuesToAdd.AttributeValue.2=333333333333&ValuesToRemove=",
    );
    assert.deepEqual(input, {
      DBClusterSnapshotIdentifier: "snap",
      AttributeName: "restore",
      ValuesToAdd: ["222222222222", "333333333333"],
      ValuesToRemove: [],
    });
  });

  test("lists of structures, nested lists, booleans and integers", () => {
    const input = read(
      "CreateDBCluster",
      [
        "DBClusterIdentifier=c1",
        "Engine=neptune",
        "StorageEncrypted=true",
        "BackupRetentionPeriod=7",
        "Tags.Tag.1.Key=team",
        "Tags.Tag.1.Value=graph%20%26%20co",
        "Tags.Tag.2.Key=empty",
        "VpcSecurityGroupIds.VpcSecurityGroupId.1=sg-1",
        "EnableCloudwatchLogsExports.member.1=audit",
      ].join("&"),
    );
    assert.equal(input.StorageEncrypted, true);
    assert.equal(input.BackupRetentionPeriod, 7);
    assert.deepEqual(input.Tags, [{ Key: "team", Value: "graph & co" }, { Key: "empty" }]);
    assert.deepEqual(input.VpcSecurityGroupIds, ["sg-1"]);
    assert.deepEqual(input.EnableCloudwatchLogsExports, ["audit"]);
    const filters = read(
      "DescribeDBClusters",
      "Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=neptune&Filters.Filter.1.Values.Value.2=x",
    );
    assert.deepEqual(filters.Filters, [{ Name: "engine", Values: ["neptune", "x"] }]);
  });

  test("a malformed scalar is InvalidParameterValue", () => {
    assert.throws(
      () => read("CreateDBCluster", "DBClusterIdentifier=c&Engine=neptune&StorageEncrypted=yes"),
      (e: unknown) => e instanceof AwsError && e.code === "InvalidParameterValue" && e.status === 400,
    );
    assert.throws(
      () => read("DescribeDBClusters", "MaxRecords=ten"),
      (e: unknown) => e instanceof AwsError && e.code === "InvalidParameterValue",
    );
    // An integer member is 32-bit: a larger number is malformed too.
    assert.equal(read("DescribeDBClusters", "MaxRecords=2147483647").MaxRecords, 2147483647);
    assert.throws(
      () => read("DescribeDBClusters", "MaxRecords=2147483648"),
      (e: unknown) =>
        e instanceof AwsError &&
        e.code === "InvalidParameterValue" &&
        e.message === "Invalid integer value '2147483648' for parameter MaxRecords.",
    );
  });

  test("list members are read by number, in order, however many there are", () => {
    const form = Array.from({ length: 20_000 }, (_, i) => `Tags.Tag.${20_000 - i}.Key=k${20_000 - i}`).join("&");
    const tags = read("AddTagsToResource", `ResourceName=r&${form}`).Tags as { Key: string }[];
    assert.equal(tags.length, 20_000);
    assert.deepEqual(tags.slice(0, 2), [{ Key: "k1" }, { Key: "k2" }]);
    assert.deepEqual(tags.at(-1), { Key: "k20000" });
  });

  test("a numbered member without a value, or a gap, is MalformedQueryString", () => {
    const refused = (form: string, message: string) =>
      assert.throws(
        () => read("DescribeDBClusters", form),
        (e: unknown) => e instanceof AwsError && e.code === "MalformedQueryString" && e.message === message,
      );
    refused(
      "Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1.x=neptune",
      "The query string contains a syntax error: Filters.Filter.1.Values.Value.1 has no value.",
    );
    refused(
      "Filters.Filter.1.Name=a&Filters.Filter.3.Name=b",
      "The query string contains a syntax error: Filters.Filter.2 is missing; list members are numbered 1, 2, 3… without gaps.",
    );
    // A member that is there but names nothing known is an empty structure, not a hole.
    assert.deepEqual(read("DescribeDBClusters", "Filters.Filter.1.Other=x").Filters, [{}]);
  });

  test("a string with a character XML cannot carry is InvalidParameterValue; a model pattern is left to validation", () => {
    assert.throws(
      () => read("CreateDBClusterParameterGroup", "DBClusterParameterGroupName=p&Description=a%01b"),
      (e: unknown) =>
        e instanceof AwsError &&
        e.code === "InvalidParameterValue" &&
        e.message === "Invalid value for parameter Description: the character U+0001 is not allowed.",
    );
    const input = deserializeQueryInput(
      sts,
      "AssumeRoleRequest",
      parseForm("RoleArn=a&RoleSessionName=s&Tags.member.1.Key=k%02&Tags.member.1.Value=v"),
    );
    assert.deepEqual(input.Tags, [{ Key: "k\u0002", Value: "v" }]);
  });

  test("a form decodes exactly as URLSearchParams decodes it, malformed escapes and repeated names included", () => {
    const forms = [
      "Action=GetCallerIdentity&Version=2011-06-15",
      "",
      "&&a=1&&b=2&",
      "a=1&a=2",
      "name-only&=value-only&=",
      "a=b=c&d==",
      "plus=a+b&escaped-plus=a%2Bb&space=a%20b",
      "arn=arn%3Aaws%3Aiam%3A%3A111111111111%3Aroot",
      "utf8=caf%C3%A9&raw=café&emoji=%F0%9F%90%B3",
      "bad=%&bad2=%zz&bad3=%E9&half=%C3&surrogate=%ED%A0%80&ok=1",
      "%41%42=%43+%44&Tags.member.1.Key=k%02",
    ];
    for (const form of forms)
      assert.deepEqual([...parseForm(form)], [...new Map(new URLSearchParams(form))], `form ${JSON.stringify(form)}`);
    // Later parameters of the same name win, also across the URL's and the body's (the body is read second).
    const both = parseForm("Action=FromBody&Version=2", parseForm("Action=FromUrl&Extra=1"));
    assert.deepEqual(
      [...both],
      [
        ["Action", "FromBody"],
        ["Extra", "1"],
        ["Version", "2"],
      ],
    );
  });

  test("timestamps accept ISO-8601 and epoch seconds", () => {
    const iso = read("DescribeEvents", "StartTime=2026-01-02T03:04:05.678Z");
    assert.equal((iso.StartTime as Date).toISOString(), "2026-01-02T03:04:05.678Z");
    const epoch = read("DescribeEvents", "StartTime=1767323045");
    assert.equal((epoch.StartTime as Date).toISOString(), "2026-01-02T03:04:05.000Z");
  });
});

describe("awsQuery responses", () => {
  test("result wrapper, list item names, empty lists, timestamps with milliseconds and XML escaping", () => {
    const xml = serializeQueryResponse(
      neptune,
      "DescribeDBClusterSnapshots",
      {
        DBClusterSnapshots: [
          {
            DBClusterSnapshotIdentifier: "a<b>&'\"",
            SnapshotCreateTime: new Date("2026-01-02T03:04:05.006Z"),
            AvailabilityZones: [],
            StorageEncrypted: true,
            PercentProgress: 100,
          },
        ],
      },
      "req-1",
    );
    assert.equal(
      xml.toString(),
      '<DescribeDBClusterSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBClusterSnapshotsResult><DBClusterSnapshots><DBClusterSnapshot><AvailabilityZones></AvailabilityZones><DBClusterSnapshotIdentifier>a&lt;b&gt;&amp;&apos;&quot;</DBClusterSnapshotIdentifier><SnapshotCreateTime>2026-01-02T03:04:05.006Z</SnapshotCreateTime><PercentProgress>100</PercentProgress><StorageEncrypted>true</StorageEncrypted></DBClusterSnapshot></DBClusterSnapshots></DescribeDBClusterSnapshotsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeDBClusterSnapshotsResponse>',
    );
  });

  test("the writer cannot emit a character XML 1.0 forbids: each becomes U+FFFD", () => {
    const xml = serializeQueryError(
      neptune,
      new AwsError("X", "a\u0000b\u0008c\u000Bd\uFFFEe\uFFFFf\uD800g\uDC00h\tI\uD83D\uDE42", 400),
      "r",
    );
    assert.match(xml, /<Message>a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFDf\uFFFDg\uFFFDh\tI\uD83D\uDE42<\/Message>/);
  });

  test("an operation without output has only ResponseMetadata", () => {
    assert.equal(
      serializeQueryResponse(neptune, "AddTagsToResource", undefined, "r").toString(),
      '<AddTagsToResourceResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AddTagsToResourceResponse>',
    );
  });

  test("errors: Type, Code and Message in Error, RequestId beside it, the service's namespace", () => {
    assert.equal(
      serializeQueryError(sts, new AwsError("AccessDenied", "no <way>", 403), "r2"),
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no &lt;way&gt;</Message></Error><RequestId>r2</RequestId></ErrorResponse>',
    );
    assert.match(
      serializeQueryError(neptune, new AwsError("InternalFailure", "x", 500), "r3"),
      /<Type>Receiver<\/Type>/,
    );
  });
});
