import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { clusterGraph } from "../../src/cli/demo-data.js";
import { compareElements, readElements } from "../../src/migrate/live-compare.js";
import { changeRecordOf, type ChangeRecord } from "../../src/migrate/stream-records.js";
import { translate } from "../../src/migrate/stream-translate.js";
import { dataWorld } from "./data-world.js";

/**
 * The record → write translation on a real cluster of the local AWS, through client-neptunedata: records in
 * Neptune's PG_JSON shape (streams-change-formats), as the SDK hands them over, applied once, twice, and replayed
 * over a graph that already holds later changes (the snapshot's overlap).
 */

let commit = 0;
/** One transaction's records, as GetPropertygraphStream's SDK output gives them. */
function transaction(
  ops: [string, string, string, string, unknown, string, { from: string; to: string }?][],
): ChangeRecord[] {
  commit++;
  return ops.map(([op, type, id, key, value, dataType, ends], index) =>
    changeRecordOf({
      commitTimestampInMillis: 1_700_000_000_000 + commit,
      eventId: { commitNum: commit, opNum: index + 1 },
      data: { id, type, key, value: { value, dataType }, ...(ends ?? {}) },
      op,
      isLastOp: index === ops.length - 1,
    }),
  );
}

const CREATE = transaction([
  ["ADD", "vl", "p-1", "label", "Person", "String"],
  ["ADD", "vl", "p-1", "label", "Employee", "String"],
  ["ADD", "vp", "p-1", "name", "Ana", "String"],
  ["ADD", "vp", "p-1", "age", 41, "Long"],
  ["ADD", "vp", "p-1", "score", 2, "Double"],
  ["ADD", "vp", "p-1", "active", true, "Boolean"],
  ["ADD", "vp", "p-1", "since", "2020-01-02T03:04:05.000Z", "Date"],
  ["ADD", "vl", "c-1", "label", "Company", "String"],
  ["ADD", "vp", "c-1", "name", "Acme", "String"],
  ["ADD", "vl", "c-2", "label", "Company", "String"],
  ["ADD", "e", "w-1", "label", "WORKS_AT", "String", { from: "p-1", to: "c-1" }],
  ["ADD", "ep", "w-1", "weight", 0.75, "Double"],
  ["ADD", "e", "w-2", "label", "KNOWS", "String", { from: "c-1", to: "c-2" }],
]);
const UPDATE = transaction([
  ["REMOVE", "vp", "p-1", "name", "Ana", "String"],
  ["ADD", "vp", "p-1", "name", "Ana Maria", "String"],
  ["REMOVE", "vl", "p-1", "label", "Employee", "String"],
  ["ADD", "vl", "p-1", "label", "Manager", "String"],
  ["REMOVE", "vp", "p-1", "active", true, "Boolean"],
  ["REMOVE", "ep", "w-1", "weight", 0.75, "Double"],
  ["ADD", "ep", "w-1", "weight", 1.5, "Double"],
]);
/** A node deleted with the relationship that cascades (Neptune records the relationship's REMOVE too). */
const DELETE = transaction([
  ["REMOVE", "e", "w-2", "label", "KNOWS", "String", { from: "c-1", to: "c-2" }],
  ["REMOVE", "vp", "c-1", "name", "Acme", "String"],
  ["REMOVE", "vl", "c-1", "label", "Company", "String"],
  ["REMOVE", "e", "w-1", "label", "WORKS_AT", "String", { from: "p-1", to: "c-1" }],
]);

async function apply(client: NeptunedataClient, records: ChangeRecord[]): Promise<void> {
  const request = translate(records)!;
  await client.send(
    new ExecuteOpenCypherQueryCommand({
      openCypherQuery: request.query,
      parameters: JSON.stringify(request.parameters),
    }),
  );
}

describe("stream records → openCypher on the target", () => {
  test("each transaction applied once and applied twice gives the same graph; replaying over later state converges", async () => {
    const world = await dataWorld();
    const graph = await clusterGraph(world.clients.source, world.inputs.source, "orders-graph", world.inputs.region);
    const read = () => readElements(graph.client);
    try {
      await apply(graph.client, CREATE);
      const created = await read();
      assert.deepEqual(
        [...created.nodes],
        [
          ["c-1", '{"labels":["Company"],"properties":{"name":"Acme"}}'],
          ["c-2", '{"labels":["Company"],"properties":{}}'],
          [
            "p-1",
            '{"labels":["Employee","Person"],"properties":{"active":true,"age":41,"name":"Ana","score":2,"since":"2020-01-02T03:04:05.000Z"}}',
          ],
        ],
      );
      assert.deepEqual(
        [...created.relationships],
        [
          ["w-1", '{"from":"p-1","properties":{"weight":0.75},"to":"c-1","type":"WORKS_AT"}'],
          ["w-2", '{"from":"c-1","properties":{},"to":"c-2","type":"KNOWS"}'],
        ],
      );
      // The float stays a float: 2 written as Double reads back as a float (2.0 in openCypher).
      const [score] = (
        await graph.client.send(
          new ExecuteOpenCypherQueryCommand({
            openCypherQuery: "MATCH (n {`~id`: 'p-1'}) RETURN toString(n.score) AS s",
          }),
        )
      ).results as { s: string }[];
      assert.equal(score!.s, "2.0");

      await apply(graph.client, CREATE);
      assert.deepEqual(compareElements(created, await read()), [], "CREATE applied twice changes nothing");

      await apply(graph.client, UPDATE);
      const updated = await read();
      assert.equal(
        updated.nodes.get("p-1"),
        '{"labels":["Manager","Person"],"properties":{"age":41,"name":"Ana Maria","score":2,"since":"2020-01-02T03:04:05.000Z"}}',
      );
      assert.equal(
        updated.relationships.get("w-1"),
        '{"from":"p-1","properties":{"weight":1.5},"to":"c-1","type":"WORKS_AT"}',
      );
      await apply(graph.client, UPDATE);
      assert.deepEqual(compareElements(updated, await read()), [], "UPDATE applied twice changes nothing");

      await apply(graph.client, DELETE);
      const deleted = await read();
      assert.deepEqual([...deleted.nodes.keys()], ["c-2", "p-1"]);
      assert.deepEqual([...deleted.relationships.keys()], []);
      await apply(graph.client, DELETE);
      assert.deepEqual(compareElements(deleted, await read()), [], "DELETE applied twice changes nothing");

      // The snapshot's overlap: every transaction replayed, in order, over the graph that already holds them all.
      for (const records of [CREATE, UPDATE, DELETE]) await apply(graph.client, records);
      assert.deepEqual(compareElements(deleted, await read()), []);
      // …and all three as one batch (the replayer sends a page of whole transactions as one request).
      await apply(graph.client, [...CREATE, ...UPDATE, ...DELETE]);
      assert.deepEqual(compareElements(deleted, await read()), []);
    } finally {
      graph.client.destroy();
    }
  });
});
