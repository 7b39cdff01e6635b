import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ADMIN, A, inProcess, rawCall, REGION, type RawCall } from "../helpers/harness.js";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { Emulator } from "../../src/emulator.js";

/** Every table of the store that holds a row: a refused request must leave this empty. */
/** The rows besides IAM's configuration seed (the configured users, keys and policies are IAM state). */
function rowCount(emulator: ReturnType<typeof inProcess>["emulator"]): number {
  return [...emulator.store.rows()].filter((row) => !row.table.startsWith("iam.")).length;
}

const CREATE_KEY: RawCall = { service: "kms", target: "CreateKey", json: {} };
const CREATE_PARAMETER_GROUP: RawCall = {
  service: "rds",
  params: {
    Action: "CreateDBClusterParameterGroup",
    Version: "2014-10-31",
    DBClusterParameterGroupName: "pg1",
    DBParameterGroupFamily: "neptune1.3",
    Description: "d",
  },
};
const CALLER_IDENTITY: RawCall = {
  service: "sts",
  params: { Action: "GetCallerIdentity", Version: "2011-06-15" },
};

describe("the credential scope's region", () => {
  const invalid = ["zz-fake-1", "US-EAST-1", "..", "us-east-1:222222222222:x", "us-fake-1", "aws-global"];
  const otherPartitions = ["cn-north-1", "us-gov-west-1"];

  for (const region of [...invalid, ...otherPartitions]) {
    test(`'${region}' is refused by every protocol and creates nothing`, async () => {
      const { raw, emulator } = inProcess();
      const message = `Credential should be scoped to a valid region, not '${region}'. `;

      const neptune = await raw({ ...CREATE_PARAMETER_GROUP, region });
      assert.deepEqual([neptune.status, neptune.code, neptune.message], [403, "SignatureDoesNotMatch", message]);
      const sts = await raw({ ...CALLER_IDENTITY, region });
      assert.deepEqual([sts.status, sts.code, sts.message], [403, "SignatureDoesNotMatch", message]);
      const kms = await raw({ ...CREATE_KEY, region });
      assert.deepEqual([kms.status, kms.code, kms.message], [400, "InvalidSignatureException", message]);

      assert.equal(rowCount(emulator), 0);
      assert.deepEqual(emulator.store.scopes("kms.keys"), []);
    });
  }

  test("every listed region of partition aws is served (eu-west-1, ap-southeast-7, us-east-1)", async () => {
    const { raw } = inProcess();
    for (const region of ["eu-west-1", "ap-southeast-7", REGION]) {
      const kms = await raw({ ...CREATE_KEY, region });
      assert.equal(kms.status, 200, `${region}: ${kms.body}`);
    }
  });

  test("an unknown region is refused before the access key is looked up", async () => {
    const { raw } = inProcess();
    const credentials = { accessKeyId: "AKIANOSUCHKEY0000000", secretAccessKey: "x" };
    const result = await raw({ ...CALLER_IDENTITY, region: "zz-fake-1", credentials });
    assert.equal(result.code, "SignatureDoesNotMatch");
  });

  test("relaxed auth checks the region too", async () => {
    const { raw, emulator } = inProcess({ relaxedAuth: true });
    const credentials = { accessKeyId: A, secretAccessKey: "anything" };
    const result = await raw({ ...CREATE_KEY, region: "zz-fake-1", credentials });
    assert.equal(result.code, "InvalidSignatureException");
    assert.equal(rowCount(emulator), 0);
  });
});

describe("session tokens", () => {
  const TOKEN_MESSAGE = "The security token included in the request is invalid.";

  test("a long-term AKIA key with a made-up X-Amz-Security-Token is InvalidClientTokenId (403)", async () => {
    const { raw, emulator } = inProcess();
    const credentials = { ...ADMIN[A]!, sessionToken: "made-up-token" };
    const sts = await raw({ ...CALLER_IDENTITY, credentials });
    assert.deepEqual([sts.status, sts.code, sts.message], [403, "InvalidClientTokenId", TOKEN_MESSAGE]);
    const neptune = await raw({ ...CREATE_PARAMETER_GROUP, credentials });
    assert.deepEqual([neptune.status, neptune.code, neptune.message], [403, "InvalidClientTokenId", TOKEN_MESSAGE]);
    const kms = await raw({ ...CREATE_KEY, credentials });
    assert.deepEqual([kms.status, kms.code, kms.message], [400, "UnrecognizedClientException", TOKEN_MESSAGE]);
    assert.equal(rowCount(emulator), 0);
  });

  test("an empty X-Amz-Security-Token on a long-term key is refused the same way", async () => {
    const { raw } = inProcess();
    const result = await raw({ ...CALLER_IDENTITY, headers: { "x-amz-security-token": "" } });
    assert.equal(result.code, "InvalidClientTokenId");
  });

  test("without a token the long-term key still works", async () => {
    const { raw } = inProcess();
    assert.equal((await raw(CALLER_IDENTITY)).status, 200);
  });
});

describe("the clock signatures are checked against", () => {
  test("is the system's even when the emulator's clock is driven by hand: a day ahead expires no signature", async () => {
    const { a, clock, emulator } = inProcess();
    clock.advanceSeconds(24 * 3600);
    assert.notEqual(emulator.signatureClock, emulator.clock);
    assert.equal((await a.sts.send(new GetCallerIdentityCommand({}))).Account, A);
  });

  test("is the emulator's own clock when neither is given: one time read per request serves both", async () => {
    const emulator = new Emulator();
    assert.equal(emulator.signatureClock, emulator.clock);
    assert.equal((await rawCall(emulator, CALLER_IDENTITY)).status, 200);
    const stale = await rawCall(emulator, { ...CALLER_IDENTITY, signingDate: new Date(Date.now() - 16 * 60_000) });
    assert.deepEqual([stale.status, stale.code], [403, "SignatureDoesNotMatch"]);
  });
});
