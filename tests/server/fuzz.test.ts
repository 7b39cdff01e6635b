import { test } from "node:test";
import assert from "node:assert/strict";
import { CreateKeyCommand, DescribeKeyCommand } from "@aws-sdk/client-kms";
import { CreateDBClusterCommand, DescribeDBClustersCommand } from "@aws-sdk/client-neptune";
import type { MemberRef, ServiceModel, Shape } from "../../src/protocol/model.js";
import { encodeRecord } from "../../src/state/codec.js";
import { A, inProcess, type RawCall, type RawResult } from "../helpers/harness.js";
import { readableXml } from "../helpers/wire.js";
import { createClusterParameterGroup } from "../neptune/resources.js";
import { seededRandom, type SeededRandom } from "../helpers/random.js";

/**
 * A bounded, seeded fuzz of the whole pipeline, in-process and signed: for every Neptune and STS operation a
 * Query form generated from the model and then mutated, and for every KMS operation a JSON body likewise. Every
 * answer must be below 500 (or 501 NotImplemented, for what Trident does not emulate), must parse with the
 * protocol's reader with the right envelope, and a refused request must leave the whole store as it was. The
 * clock does not move and transitions are instant, so nothing changes state behind a refused request.
 * `TRIDENT_FUZZ_SEED` picks another seed; the seed, request count and the longest single request are printed.
 */

const SEED = Number(process.env.TRIDENT_FUZZ_SEED ?? 0x7a1d3);
const ROUNDS_PER_OPERATION = 12;

const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype"];
const NASTY = [
  "\u0000",
  "\u0001",
  "\u000B",
  "\u001F",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDFFF",
  "<",
  "&",
  "]]>",
  "'",
  '"',
];

/** Values the seed state answers to, so generated inputs reach the handlers and not only the validators. */
interface Known {
  keyId: string;
  clusterId: string;
  clusterArn: string;
  groupName: string;
  /** How likely an optional member is generated: none in a request's first round, which is left unmutated. */
  optional: number;
}

function stringFor(rng: SeededRandom, name: string, shape: Shape, known: Known): string {
  if (shape.enum) return rng.pick(shape.enum);
  if (/KeyId$|KmsKeyId/.test(name)) return rng.pick([known.keyId, `alias/fuzz`, "alias/aws/rds"]);
  if (/ResourceName|Arn$/.test(name)) return rng.pick([known.clusterArn, `arn:aws:iam::${A}:role/fuzz`]);
  if (/DBClusterIdentifier/.test(name)) return known.clusterId;
  if (/ParameterGroupName/.test(name)) return known.groupName;
  if (name === "Engine") return "neptune";
  const min = shape.min ?? 1;
  return `fuzz${rng.int(1000)}`.padEnd(min, "x").slice(0, shape.max ?? 64);
}

/** A value of `shape` that looks valid (the model's enums and ranges, names the seed state knows). */
function generate(
  model: ServiceModel,
  rng: SeededRandom,
  name: string,
  ref: MemberRef,
  known: Known,
  depth: number,
): unknown {
  const shape = model.shapes[ref.shape]!;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      const required = new Set(shape.required ?? []);
      for (const [member, memberRef] of Object.entries(shape.members ?? {})) {
        if (required.has(member) || (depth < 3 && rng.chance(known.optional)))
          out[member] = generate(model, rng, member, memberRef, known, depth + 1);
      }
      return out;
    }
    case "list":
      return Array.from({ length: depth < 3 ? rng.int(3) + (shape.min ?? 0) : 0 }, () =>
        generate(model, rng, name, shape.member!, known, depth + 1),
      );
    case "map": {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(3); i > 0; i--) out[`k${i}`] = generate(model, rng, name, shape.value!, known, depth + 1);
      return out;
    }
    case "string":
      return stringFor(rng, name, shape, known);
    case "integer":
    case "long":
      return (shape.min ?? 0) + rng.int(Math.max(1, Math.min(shape.max ?? 100, 1000) - (shape.min ?? 0)));
    case "double":
    case "float":
      return rng.next() * 100;
    case "boolean":
      return rng.chance(0.5);
    case "timestamp":
      return new Date(Date.UTC(2026, 0, 1 + rng.int(30)));
    case "blob":
      return Buffer.from(`blob${rng.int(1000)}`);
  }
}

/** The form botocore would send for `value` (locationName, `member`, `entry`, numbered from 1). */
function toForm(model: ServiceModel, shape: Shape, value: unknown, prefix: string, out: [string, string][]): void {
  switch (shape.type) {
    case "structure":
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[member];
        const key = prefix ? `${prefix}.${ref.locationName ?? member}` : (ref.locationName ?? member);
        if (v !== undefined) toForm(model, model.shapes[ref.shape]!, v, key, out);
      }
      return;
    case "list": {
      const items = value as unknown[];
      if (items.length === 0) out.push([prefix, ""]);
      const itemPrefix = shape.flattened ? prefix : `${prefix}.${shape.member!.locationName ?? "member"}`;
      items.forEach((item, i) =>
        toForm(model, model.shapes[shape.member!.shape]!, item, `${itemPrefix}.${i + 1}`, out),
      );
      return;
    }
    case "map":
      Object.entries(value as Record<string, unknown>).forEach(([k, v], i) => {
        out.push([`${prefix}.entry.${i + 1}.key`, k]);
        toForm(model, model.shapes[shape.value!.shape]!, v, `${prefix}.entry.${i + 1}.value`, out);
      });
      return;
    case "timestamp":
      out.push([prefix, (value as Date).toISOString()]);
      return;
    case "blob":
      out.push([prefix, (value as Buffer).toString("base64")]);
      return;
    default:
      out.push([prefix, String(value)]);
  }
}

/** Random text: letters, digits, dots, brackets and the characters XML and JSON care about. */
function randomText(rng: SeededRandom): string {
  const palette = ["a", "Z", "0", "9", ".", ".", "[", "]", "%", "=", "&", "-", "_", " ", ...NASTY, ...PROTOTYPE_NAMES];
  return Array.from({ length: 1 + rng.int(12) }, () => rng.pick(palette)).join("");
}

/** One hostile change to a form: drop, duplicate, wrong type, huge number, bad characters, odd names and indexes. */
function mutateForm(rng: SeededRandom, form: [string, string][]): void {
  const at = () => rng.int(form.length);
  const mutations: (() => void)[] = [
    () => form.length > 2 && form.splice(2 + rng.int(form.length - 2), 1),
    () => form.length && form.push([form[at()]![0], `dup${rng.int(9)}`]),
    () => form.length > 2 && (form[2 + rng.int(form.length - 2)]![1] = rng.pick(["yes", "1e999", "", "-1", "NaN"])),
    () => form.length > 2 && (form[2 + rng.int(form.length - 2)]![1] = "9".repeat(1 + rng.int(40))),
    () => form.length && (form[at()]![1] += rng.pick(NASTY)),
    () => form.push([rng.pick(PROTOTYPE_NAMES), rng.pick(PROTOTYPE_NAMES)]),
    () =>
      form.length && (form[at()]![0] = form[at()]![0].replace(/\.1\b/, `.${rng.pick([0, 3, 999999999, 4294967297])}`)),
    () => form.length && (form[at()]![0] = form[at()]![0].replace(/\.\d+\./, `.${rng.pick(PROTOTYPE_NAMES)}.`)),
    () => form.push([`Tags.Tag.${1 + rng.int(3)}.Key`, rng.pick([...PROTOTYPE_NAMES, "aws:x", "k\u0001"])]),
    () => form.push([`Filters.Filter.1.Name`, rng.pick(PROTOTYPE_NAMES)]),
    () => form.length > 2 && (form[2 + rng.int(form.length - 2)]![1] = "x".repeat(5000)),
    () => (form[0]![1] = rng.pick(PROTOTYPE_NAMES)),
    () => form.push([randomText(rng), randomText(rng)]),
    () => form.length > 2 && (form[2 + rng.int(form.length - 2)]![0] += `.${randomText(rng)}`),
  ];
  for (let n = 1 + rng.int(3); n > 0; n--) rng.pick(mutations)();
}

/** One hostile change to a JSON input: wrong types, prototype keys, bad base64 and characters, nesting, nulls. */
function mutateJson(rng: SeededRandom, input: Record<string, unknown>, model: ServiceModel, shape: Shape): void {
  const members = Object.keys(shape.members ?? {});
  const member = members.length ? rng.pick(members) : "X";
  const mutations: (() => void)[] = [
    () => delete input[rng.pick(Object.keys(input).concat("none"))],
    () => (input[member] = rng.pick<unknown>([42, "42", true, [], {}, null, 1e308, -1, 2 ** 53 + 1, [[[[]]]]])),
    () => (input[member] = `v${rng.pick(NASTY)}`),
    () => (input[member] = rng.pick(["not base64!", "aGk", "====", "\u0000"])),
    () => (input[member] = JSON.parse(`{"__proto__":"p","constructor":{"x":1},"toString":"t"}`)),
    () => (input.EncryptionContext = JSON.parse(`{"__proto__":"${rng.pick(["a", "b"])}","valueOf":"v"}`)),
    () => (input[rng.pick(PROTOTYPE_NAMES)] = "x"),
    () => (input[member] = "k".repeat(rng.pick([1, 256, 2049, 10000]))),
    () => (input[randomText(rng)] = randomText(rng)),
    () => (input[member] = { [randomText(rng)]: [randomText(rng), { [randomText(rng)]: null }] }),
  ];
  for (let n = 1 + rng.int(3); n > 0; n--) rng.pick(mutations)();
  void model;
}

/** The response parses with the protocol's reader and has the protocol's envelope. */
function assertEnvelope(result: RawResult, protocol: "query" | "json", operation: string, context: string): void {
  assert.ok(result.headers["x-amzn-requestid"], context);
  if (protocol === "json") {
    const parsed = JSON.parse(result.body) as Record<string, unknown>;
    if (result.status !== 200) assert.equal(typeof parsed.__type, "string", context);
    return;
  }
  const parsed = readableXml(result.body, context);
  if (result.status === 200) assert.ok(parsed[`${operation}Response`], context);
  else
    assert.equal(typeof (parsed.ErrorResponse?.Error as Record<string, unknown> | undefined)?.Code, "string", context);
}

test(`fuzz: mutated Query forms and JSON bodies for every operation (seed ${SEED})`, async (t) => {
  const env = inProcess();
  const { emulator, a, raw } = env;
  const { KeyMetadata } = await a.kms.send(new CreateKeyCommand({}));
  // Naming alias/aws/rds creates that AWS managed key the first time, whatever the call's outcome [M-KMS DescribeKey]:
  // create it now so that the refusals below have nothing to create.
  await a.kms.send(new DescribeKeyCommand({ KeyId: "alias/aws/rds" }));
  await createClusterParameterGroup(a.neptune, "fuzz-pg");
  const cluster = await a.neptune.send(
    new CreateDBClusterCommand({ DBClusterIdentifier: "fuzz-cluster", Engine: "neptune" }),
  );
  const known: Known = {
    keyId: KeyMetadata!.KeyId!,
    clusterId: "fuzz-cluster",
    clusterArn: cluster.DBCluster!.DBClusterArn!,
    groupName: "fuzz-pg",
    optional: 0.4,
  };
  const dump = () => [...emulator.store.rows()].map((row) => encodeRecord(row)).join("\n");
  const rng = seededRandom(SEED);
  let requests = 0;
  let refused = 0;
  let longest = { ms: 0, what: "" };

  // Neptune finishes due transitions (instant here) when it is next called: after a request that succeeded, one
  // describe call lets that catch-up happen before the next request's "before" is taken.
  let settled = false; // the cluster created above finishes on the next call
  const send = async (call: RawCall, protocol: "query" | "json", operation: string) => {
    if (!settled) await a.neptune.send(new DescribeDBClustersCommand({}));
    const before = dump();
    const started = performance.now();
    const result = await raw(call);
    const ms = performance.now() - started;
    if (ms > longest.ms) longest = { ms, what: `${call.service} ${operation}` };
    requests++;
    const context = `seed ${SEED}, request ${requests}: ${operation} ${call.body?.slice(0, 300)} → ${result.status} ${result.body.slice(0, 300)}`;
    // 501 NotImplemented is Trident saying what it does not emulate (an operation without a handler, or a feature
    // such as global databases): an honest answer, not a fault.
    const notImplemented = result.status === 501 && result.code === "NotImplemented";
    assert.ok(result.status < 500 || notImplemented, context);
    assertEnvelope(result, protocol, operation, context);
    settled = result.status >= 400;
    if (result.status >= 400) {
      refused++;
      assert.equal(dump(), before, `a refused request changed the store: ${context}`);
    }
  };

  for (const [serviceName, service] of [
    ["rds", emulator.services.neptune],
    ["sts", emulator.services.sts],
  ] as const) {
    const model = service.model;
    for (const [operation, op] of Object.entries(model.operations)) {
      for (let round = 0; round < ROUNDS_PER_OPERATION; round++) {
        const input = op.input
          ? generate(model, rng, operation, { shape: op.input.shape }, { ...known, optional: round && 0.4 }, 0)
          : ({} as Record<string, unknown>);
        const form: [string, string][] = [
          ["Action", operation],
          ["Version", model.metadata.apiVersion],
        ];
        if (op.input) toForm(model, model.shapes[op.input.shape]!, input, "", form);
        if (round > 0) mutateForm(rng, form);
        const body = new URLSearchParams(form).toString();
        await send({ service: serviceName, body }, "query", operation);
      }
    }
  }

  const kms = emulator.services.kms;
  for (const [operation, op] of Object.entries(kms.model.operations)) {
    for (let round = 0; round < ROUNDS_PER_OPERATION; round++) {
      const shape = op.input ? kms.model.shapes[op.input.shape]! : { type: "structure" as const };
      const input = op.input
        ? (generate(
            kms.model,
            rng,
            operation,
            { shape: op.input.shape },
            { ...known, optional: round && 0.4 },
            0,
          ) as Record<string, unknown>)
        : {};
      if (round > 0) mutateJson(rng, input, kms.model, shape);
      // Blobs go out as base64, as the SDK sends them; a raw text now and then.
      const body =
        round > 0 && rng.chance(0.05)
          ? rng.pick(["{", "[]", "null", '"x"', '{"a":', "\u0000"])
          : JSON.stringify(input, (_k, v: unknown) =>
              v && typeof v === "object" && (v as { type?: string }).type === "Buffer"
                ? Buffer.from((v as { data: number[] }).data).toString("base64")
                : v,
            );
      await send({ service: "kms", target: operation, body }, "json", operation);
    }
  }

  t.diagnostic(`seed ${SEED} (TRIDENT_FUZZ_SEED to vary): ${requests} requests, ${refused} refused`);
  t.diagnostic(`longest single request (event-loop stall): ${longest.ms.toFixed(1)} ms (${longest.what})`);
  console.log(
    `fuzz seed ${SEED}: ${requests} requests, ${refused} refused, longest ${longest.ms.toFixed(1)} ms (${longest.what})`,
  );
});
