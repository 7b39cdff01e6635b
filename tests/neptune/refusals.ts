import assert from "node:assert/strict";
import * as Neptune from "@aws-sdk/client-neptune";
import { rejection, type Clients, type Credentials, type RawCall, type RawResult } from "../helpers/harness.js";
import type { Fault, WireFault } from "./faults.js";

/**
 * How the Neptune suites check a refusal: as the SDK reports it, and as it goes over the wire, where the SDK
 * forgives a wrong `<Code>` and the AWS CLI's waiters do not.
 */

const VERSION = "2014-10-31";

/** The SDK's error name, HTTP status and message of a refused call. */
export async function assertFault(call: () => Promise<unknown>, expected: Fault) {
  const error = await rejection(call);
  assert.equal(error.name, expected.name, error.message);
  assert.equal(error.$metadata?.httpStatusCode, expected.status);
  if (typeof expected.message === "string") assert.equal(error.message, expected.message);
  else if (expected.message) assert.match(error.message, expected.message);
}

/** The raw wire answer: `<Code>`, HTTP status, sender fault and message, as the CLI and boto3 see them. */
export function assertWire(result: RawResult, expected: WireFault) {
  assert.equal(result.code, expected.code, result.body);
  assert.equal(result.status, expected.status);
  assert.match(result.body, /<Type>Sender<\/Type>/);
  if (expected.message !== undefined) assert.equal(result.message, expected.message);
}

/** An awsQuery request to the Neptune endpoint, signed (by A's admin unless `credentials` are given). */
export function rdsQuery(
  raw: (call: RawCall) => Promise<RawResult>,
  action: string,
  params: Record<string, string>,
  credentials?: Credentials,
): Promise<RawResult> {
  const signer = credentials ? { credentials } : {};
  return raw({ service: "rds", params: { Action: action, Version: VERSION, ...params }, ...signer });
}

type NeptuneCommand = Parameters<Neptune.NeptuneClient["send"]>[0];

/** The SDK's command for an operation, by the operation's name. */
function commandOf(action: string, input: object): NeptuneCommand {
  const commands = Neptune as unknown as Record<string, new (input: object) => NeptuneCommand>;
  return new commands[`${action}Command`]!(input);
}

/**
 * One request of A's admin, refused as the SDK reports it (error class, status, message) and as it goes over the
 * wire (the raw `<Code>`, which the SDK forgives). Flat members only: they are the query parameters as they are.
 */
export async function assertRefused(
  env: { a: Clients; raw: (call: RawCall) => Promise<RawResult> },
  action: string,
  input: Record<string, string | number | boolean>,
  expected: Fault & WireFault & { message: string },
) {
  await assertFault(() => env.a.neptune.send(commandOf(action, input)), expected);
  const params = Object.fromEntries(Object.entries(input).map(([name, value]) => [name, String(value)]));
  assertWire(await rdsQuery(env.raw, action, params), expected);
}
