import { DEFAULT_CREDENTIALS, SOURCE_ACCOUNT } from "../src/config/defaults.js";
import { Emulator } from "../src/emulator.js";
import { loadModel } from "../src/protocol/model.js";
import { deserializeQueryInput, parseForm } from "../src/protocol/query.js";
import { DEFAULT_MAX_BODY_BYTES } from "../src/server/http.js";
import { handleRequest } from "../src/server/pipeline.js";
import { presign } from "./lib/sign.js";

/**
 * Query parsing against list length: AddTagsToResource-like (`Tags.Tag.N.Key/Value`) and Filters-like
 * (`Filters.Filter.N.Name/Values.Value.1`) forms of 1,000 members up to as many as fit the body limit (1 MiB).
 * Prints, per size, the body size, the parse time alone (form → input structure) and a whole in-process request
 * (SigV4, parse, validation, handler, serialization), each the median of a few runs, and the time per member,
 * which stays flat when parsing is linear. Usage: node dist/bench/parse.js [--runs 5]
 */

const runsArg = process.argv.indexOf("--runs");
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const ENDPOINT = "http://trident.local";
const neptune = loadModel("neptune");
const credentials = DEFAULT_CREDENTIALS[SOURCE_ACCOUNT];

interface Shape {
  name: string;
  action: string;
  inputShape: string;
  fixed: Record<string, string>;
  member: (i: number) => Record<string, string>;
}

const GROUP = "bench-pg";
const SHAPES: Shape[] = [
  {
    name: "AddTagsToResource Tags.Tag.N",
    action: "AddTagsToResource",
    inputShape: "AddTagsToResourceMessage",
    fixed: { ResourceName: `arn:aws:rds:us-east-1:${SOURCE_ACCOUNT}:cluster-pg:${GROUP}` },
    member: (i) => ({ [`Tags.Tag.${i}.Key`]: `key${i}`, [`Tags.Tag.${i}.Value`]: `value${i}` }),
  },
  {
    name: "DescribeDBClusters Filters.Filter.N",
    action: "DescribeDBClusters",
    inputShape: "DescribeDBClustersMessage",
    fixed: {},
    member: (i) => ({
      [`Filters.Filter.${i}.Name`]: "db-cluster-id",
      [`Filters.Filter.${i}.Values.Value.1`]: `cluster-${i}`,
    }),
  },
];

function params(shape: Shape, members: number): Record<string, string> {
  const out: Record<string, string> = { Action: shape.action, Version: "2014-10-31", ...shape.fixed };
  for (let i = 1; i <= members; i++) Object.assign(out, shape.member(i));
  return out;
}

/** The most members whose form still fits the body limit. */
function mostThatFit(shape: Shape): number {
  let low = 1000;
  let high = 200_000;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (new URLSearchParams(params(shape, mid)).toString().length <= DEFAULT_MAX_BODY_BYTES) low = mid;
    else high = mid - 1;
  }
  return low;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return median(times);
}

const emulator = new Emulator();
const send = async (call: { params: Record<string, string> }) => {
  const signed = await presign(ENDPOINT, credentials, { service: "rds", params: call.params });
  return handleRequest(emulator, { method: "POST", url: "/", headers: signed.headers, body: Buffer.from(signed.body) });
};
await send({
  params: {
    Action: "CreateDBClusterParameterGroup",
    Version: "2014-10-31",
    DBClusterParameterGroupName: GROUP,
    DBParameterGroupFamily: "neptune1.4",
    Description: "bench",
  },
});

for (const shape of SHAPES) {
  const fit = mostThatFit(shape);
  console.log(`\n${shape.name} (body limit ${DEFAULT_MAX_BODY_BYTES} bytes: ${fit} members fit)`);
  console.log("members  body KiB  parse ms  ms/member  request ms  status");
  for (const members of [...[1000, 2000, 4000, 8000, 16000].filter((n) => n < fit), fit]) {
    const form = params(shape, members);
    const body = new URLSearchParams(form).toString();
    const parse = await time(() => deserializeQueryInput(neptune, shape.inputShape, parseForm(body)));
    const signed = await presign(ENDPOINT, credentials, { service: "rds", params: form });
    let status = 0;
    const request = await time(async () => {
      const { response } = await handleRequest(emulator, {
        method: "POST",
        url: "/",
        headers: signed.headers,
        body: Buffer.from(signed.body),
      });
      status = response.status;
    });
    console.log(
      [
        String(members).padStart(7),
        (body.length / 1024).toFixed(0).padStart(8),
        parse.toFixed(1).padStart(9),
        (parse / members).toFixed(5).padStart(10),
        request.toFixed(1).padStart(11),
        String(status).padStart(7),
      ].join(" "),
    );
  }
}
