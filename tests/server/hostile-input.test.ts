import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import { encodeRecord } from "../../src/state/codec.js";
import type { Store } from "../../src/state/store.js";
import { A, ADMIN, B, inProcess, type RawCall, type RawResult } from "../helpers/harness.js";
import { readableXml } from "../helpers/wire.js";
import { assertWire, rdsQuery } from "../neptune/refusals.js";
import { createClusterParameterGroup } from "../neptune/resources.js";

/**
 * Requests a hostile but fair caller can send: names of JavaScript's Object.prototype, characters XML cannot
 * carry, list numbering with gaps, huge lists, odd methods and media types, tampered markers and blobs. Each
 * gets AWS's answer (or a commented decision) and changes nothing.
 */

/** The response is XML a client can read. */
function assertReadableXml(result: RawResult): void {
  readableXml(result.body);
}

function dump(store: Store): string[] {
  return [...store.rows()].map((row) => encodeRecord(row));
}

const kmsBody = (target: string, body: string): RawCall => ({ service: "kms", target, body });

describe("JavaScript prototype names are names like any other", () => {
  for (const action of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"]) {
    test(`Action=${action} is InvalidAction (400) for Neptune and STS`, async () => {
      const { raw } = inProcess();
      for (const service of ["rds", "sts"] as const) {
        const result = await raw({ service, params: { Action: action, Version: "2014-10-31" } });
        assert.equal(result.status, 400, result.body);
        assert.equal(result.code, "InvalidAction");
        assert.equal(result.message, `The action ${action} is not valid for this web service.`);
        assertReadableXml(result);
      }
    });

    test(`X-Amz-Target: TrentService.${action} is UnknownOperationException`, async () => {
      const { raw } = inProcess();
      const result = await raw({ service: "kms", target: action, json: {} });
      assert.equal(result.status, 400, result.body);
      assert.equal(result.code, "UnknownOperationException");
    });
  }

  test('an EncryptionContext key "__proto__" binds the ciphertext', async () => {
    const { raw, a } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const encrypted = await raw(
      kmsBody("Encrypt", `{"KeyId":"${keyId}","Plaintext":"aGk=","EncryptionContext":{"__proto__":"bound"}}`),
    );
    assert.equal(encrypted.status, 200, encrypted.body);
    const blob = (JSON.parse(encrypted.body) as { CiphertextBlob: string }).CiphertextBlob;
    const without = await raw(kmsBody("Decrypt", JSON.stringify({ CiphertextBlob: blob })));
    assert.equal(without.status, 400, without.body);
    assert.equal(without.code, "InvalidCiphertextException");
    const other = await raw(kmsBody("Decrypt", `{"CiphertextBlob":"${blob}","EncryptionContext":{"__proto__":"x"}}`));
    assert.equal(other.code, "InvalidCiphertextException");
    const right = await raw(
      kmsBody("Decrypt", `{"CiphertextBlob":"${blob}","EncryptionContext":{"__proto__":"bound"}}`),
    );
    assert.equal(right.status, 200, right.body);
    assert.equal((JSON.parse(right.body) as { Plaintext: string }).Plaintext, "aGk=");
  });

  test('a grant constraint on the context key "__proto__" is kept', async () => {
    const { raw, a } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const created = await raw(
      kmsBody(
        "CreateGrant",
        JSON.stringify({
          KeyId: keyId,
          GranteePrincipal: `arn:aws:iam::${A}:user/admin`,
          Operations: ["Decrypt"],
        }).replace(/}$/, ',"Constraints":{"EncryptionContextSubset":{"__proto__":"x","constructor":"y"}}}'),
      ),
    );
    assert.equal(created.status, 200, created.body);
    const listed = await raw(kmsBody("ListGrants", JSON.stringify({ KeyId: keyId })));
    const grants = (JSON.parse(listed.body) as { Grants: { Constraints?: object }[] }).Grants;
    assert.deepEqual(Object.entries(grants[0]!.Constraints!), [
      ["EncryptionContextSubset", JSON.parse('{"__proto__":"x","constructor":"y"}') as object],
    ]);
    assert.match(listed.body, /"EncryptionContextSubset":\{"__proto__":"x","constructor":"y"\}/);
  });

  test("a filter named after a prototype member is an unknown filter", async () => {
    const { raw } = inProcess();
    const result = await rdsQuery(raw, "DescribeDBClusters", {
      "Filters.Filter.1.Name": "constructor",
      "Filters.Filter.1.Values.Value.1": "x",
    });
    assertWire(result, {
      code: "InvalidParameterValue",
      status: 400,
      message: "Unrecognized filter name: constructor.",
    });
  });
});

describe("characters XML cannot carry", () => {
  const bad = ["\u0000", "\u0001", "\u0008", "\u000B", "\u000C", "\u001F", "\uFFFE", "\uFFFF"];

  test("a tag key or value holding one is refused, as are characters outside RDS's tag pattern; nothing is stored", async () => {
    const { raw, a, emulator } = inProcess();
    await createClusterParameterGroup(a.neptune, "pg");
    const arn = `arn:aws:rds:us-east-1:${A}:cluster-pg:pg`;
    const before = dump(emulator.store);
    const addTag = (key: string, value: string) =>
      rdsQuery(raw, "AddTagsToResource", { ResourceName: arn, "Tags.Tag.1.Key": key, "Tags.Tag.1.Value": value });
    for (const char of bad) {
      const code = `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      for (const [key, value, member] of [
        [`k${char}`, "v", "Key"],
        ["k", `v${char}`, "Value"],
      ] as const) {
        const result = await addTag(key, value);
        assertWire(result, {
          code: "InvalidParameterValue",
          status: 400,
          message: `Invalid value for parameter Tags.Tag.1.${member}: the character ${code} is not allowed.`,
        });
        assertReadableXml(result);
      }
    }
    for (const [key, value] of [
      ["k!", "v"],
      ["k", "🙂"],
      ["k", "a\tb"],
    ] as const) {
      assertWire(await addTag(key, value), {
        code: "InvalidParameterValue",
        status: 400,
        message: "Tag keys and values may contain only Unicode letters, digits, white space and _ . : / = + - @.",
      });
    }
    assert.deepEqual(dump(emulator.store), before);
    assert.equal((await addTag("ok é 𝐀 _.:/=+-@", "1 2")).status, 200);
  });

  test("a description holding one is InvalidParameterValue naming the parameter and code point", async () => {
    const { raw, emulator } = inProcess();
    const before = dump(emulator.store);
    for (const char of bad) {
      const result = await rdsQuery(raw, "CreateDBClusterParameterGroup", {
        DBClusterParameterGroupName: "pg",
        DBParameterGroupFamily: "neptune1.4",
        Description: `broken${char}`,
      });
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      assertWire(result, {
        code: "InvalidParameterValue",
        status: 400,
        message: `Invalid value for parameter Description: the character U+${code} is not allowed.`,
      });
      assertReadableXml(result);
    }
    assert.deepEqual(dump(emulator.store), before);
  });

  test("error messages that echo input stay readable XML", async () => {
    const { raw } = inProcess();
    const action = await raw({ service: "rds", params: { Action: "Describe\u0001\uFFFF", Version: "2014-10-31" } });
    assert.equal(action.code, "InvalidAction");
    assert.equal(action.message, "The action Describe\uFFFD\uFFFD is not valid for this web service.");
    assertReadableXml(action);
    const number = await rdsQuery(raw, "DescribeDBClusters", { MaxRecords: "1\u0002" });
    assert.equal(number.code, "InvalidParameterValue");
    assertReadableXml(number);
    // STS's tag pattern answers ValidationError, echoing the value.
    const sts = await raw({
      service: "sts",
      params: {
        Action: "AssumeRole",
        Version: "2011-06-15",
        RoleArn: `arn:aws:iam::${A}:role/x`,
        RoleSessionName: "s",
        "Tags.member.1.Key": "k\u0003",
        "Tags.member.1.Value": "v",
      },
    });
    assert.equal(sts.code, "ValidationError", sts.body);
    assertReadableXml(sts);
  });
});

describe("Query lists", () => {
  test("a gap in list numbering is MalformedQueryString, for Tags and Filters", async () => {
    const { raw, emulator } = inProcess();
    const before = dump(emulator.store);
    const tags = await rdsQuery(raw, "CreateDBClusterParameterGroup", {
      DBClusterParameterGroupName: "pg",
      DBParameterGroupFamily: "neptune1.4",
      Description: "d",
      "Tags.Tag.1.Key": "a",
      "Tags.Tag.3.Key": "c",
    });
    assertWire(tags, {
      code: "MalformedQueryString",
      status: 400,
      message:
        "The query string contains a syntax error: Tags.Tag.2 is missing; list members are numbered 1, 2, 3… without gaps.",
    });
    const filters = await rdsQuery(raw, "DescribeDBClusters", {
      "Filters.Filter.2.Name": "engine",
      "Filters.Filter.2.Values.Value.1": "neptune",
    });
    assertWire(filters, {
      code: "MalformedQueryString",
      status: 400,
      message:
        "The query string contains a syntax error: Filters.Filter.1 is missing; list members are numbered 1, 2, 3… without gaps.",
    });
    const deep = await rdsQuery(raw, "DescribeDBClusters", {
      "Filters.Filter.1.Name": "engine",
      "Filters.Filter.1.Values.Value.999999999": "neptune",
    });
    assert.equal(deep.code, "MalformedQueryString");
    assert.deepEqual(dump(emulator.store), before);
  });

  test("a form of 50,000 tags (about 1 MiB) is answered at once: more than 50 tags, and nothing stored", async () => {
    const { raw, a, emulator } = inProcess();
    await createClusterParameterGroup(a.neptune, "pg");
    const before = dump(emulator.store);
    const params: Record<string, string> = { ResourceName: `arn:aws:rds:us-east-1:${A}:cluster-pg:pg` };
    for (let i = 1; i <= 50_000; i++) {
      params[`Tags.Tag.${i}.Key`] = `k${i}`;
      params[`Tags.Tag.${i}.Value`] = "v";
    }
    const result = await rdsQuery(raw, "AddTagsToResource", params);
    assertWire(result, {
      code: "InvalidParameterValue",
      status: 400,
      message: "Cannot add tags: a resource can have at most 50 tags.",
    });
    assert.deepEqual(dump(emulator.store), before);
  });
});

describe("methods, media types, markers and blobs", () => {
  for (const method of ["PUT", "DELETE", "PATCH", "OPTIONS"]) {
    test(`${method} runs no Query or JSON action: 405 MethodNotAllowed in the protocol's envelope`, async () => {
      const { raw, emulator } = inProcess();
      const before = dump(emulator.store);
      const query = await raw({
        service: "rds",
        method,
        params: {
          Action: "CreateDBClusterParameterGroup",
          Version: "2014-10-31",
          DBClusterParameterGroupName: "pg",
          DBParameterGroupFamily: "neptune1.4",
          Description: "d",
        },
      });
      assert.equal(query.status, 405, query.body);
      assert.equal(query.code, "MethodNotAllowed");
      assert.equal(query.message, `The HTTP method ${method} is not allowed here; use GET or POST.`);
      assertReadableXml(query);
      const json = await raw({ service: "kms", method, target: "CreateKey", json: {} });
      assert.equal(json.status, 405);
      assert.equal(json.code, "MethodNotAllowed");
      assert.equal(json.message, `The HTTP method ${method} is not allowed here; use POST.`);
      assert.deepEqual(dump(emulator.store), before);
    });
  }

  test("the form media type is matched case-insensitively", async () => {
    const { raw } = inProcess();
    const result = await raw({
      service: "sts",
      params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
      headers: { "content-type": "Application/X-WWW-Form-Urlencoded; Charset=UTF-8" },
    });
    assert.equal(result.status, 200, result.body);
    assert.match(result.body, /<Account>111111111111<\/Account>/);
  });

  test("a tampered, made-up or foreign KMS Marker is InvalidMarkerException", async () => {
    const { raw, a } = inProcess();
    for (let i = 0; i < 3; i++) await a.kms.send(new CreateKeyCommand({}));
    const first = await raw(kmsBody("ListKeys", JSON.stringify({ Limit: 1 })));
    const marker = (JSON.parse(first.body) as { NextMarker: string }).NextMarker;
    const next = await raw(kmsBody("ListKeys", JSON.stringify({ Limit: 1, Marker: marker })));
    assert.equal(next.status, 200, next.body);
    const invalid =
      "The request was rejected because the marker that specifies where pagination should next begin is not valid.";
    const tampered = marker.replace(/^./, (c) => (c === "A" ? "B" : "A"));
    const madeUp = Buffer.from("trident:000000000000000000:x").toString("base64");
    for (const bad of [tampered, madeUp, `${marker}.x`, "x"]) {
      const result = await raw(kmsBody("ListKeys", JSON.stringify({ Marker: bad })));
      assert.equal(result.status, 400, bad);
      assert.equal(result.code, "InvalidMarkerException");
      assert.equal(result.message, invalid);
    }
    // Another operation's marker, and another account's.
    const aliases = await raw(kmsBody("ListAliases", JSON.stringify({ Marker: marker })));
    assert.equal(aliases.code, "InvalidMarkerException");
    const otherAccount = await raw({
      ...kmsBody("ListKeys", JSON.stringify({ Marker: marker })),
      credentials: ADMIN[B],
    });
    assert.equal(otherAccount.code, "InvalidMarkerException");
  });

  test("a KMS blob member that is not base64 is SerializationException (400)", async () => {
    const { raw, a, emulator } = inProcess();
    const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
    const before = dump(emulator.store);
    for (const blob of ["not base64!", "aGk", "aGk==x", "a===", "aGk=\n"]) {
      const result = await raw(kmsBody("Encrypt", JSON.stringify({ KeyId: KeyMetadata!.KeyId, Plaintext: blob })));
      assert.equal(result.status, 400, blob);
      assert.equal(result.code, "SerializationException");
      assert.equal(result.message, "Value of Plaintext is not valid base64.");
    }
    assert.deepEqual(dump(emulator.store), before);
  });
});
