import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { PropertygraphSummary } from "@aws-sdk/client-neptunedata";
import { compareGraphs, describeDifference, describeGraph, graphFacts } from "../../src/migrate/graph-summary.js";

/** A detailed summary as Neptune writes it (the shape of the neptunedata model's PropertygraphSummary). */
const SUMMARY: PropertygraphSummary = {
  numNodes: 3749,
  numEdges: 57645,
  numNodeLabels: 4,
  numEdgeLabels: 2,
  nodeLabels: ["continent", "country", "version", "airport"],
  edgeLabels: ["contains", "route"],
  numNodeProperties: 2,
  numEdgeProperties: 1,
  nodeProperties: [{ code: 3749 }, { desc: 3749 }],
  edgeProperties: [{ dist: 57645 }],
  totalNodePropertyValues: 7498,
  totalEdgePropertyValues: 57645,
  nodeStructures: [
    { count: 3500, nodeProperties: ["desc", "code"], distinctOutgoingEdgeLabels: ["route", "contains"] },
    { count: 249, nodeProperties: ["code", "desc"], distinctOutgoingEdgeLabels: [] },
  ],
  edgeStructures: [{ count: 57645, edgeProperties: ["dist"] }],
};

describe("graph summaries compared", () => {
  test("Neptune's lists, in any order, become one comparable form", () => {
    const facts = graphFacts(SUMMARY);
    assert.deepEqual(facts.nodeLabels, ["airport", "continent", "country", "version"]);
    assert.deepEqual(facts.nodeProperties, { code: 3749, desc: 3749 });
    assert.deepEqual(facts.nodeStructures, {
      "{code, desc} -[contains, route]->": 3500,
      "{code, desc} (no outgoing relationship)": 249,
    });
    assert.deepEqual(facts.relationshipStructures, { "{dist}": 57645 });
    assert.equal(describeGraph(facts), "3,749 nodes (4 labels), 57,645 relationships (2 types)");
    const reordered: PropertygraphSummary = {
      ...SUMMARY,
      nodeLabels: [...SUMMARY.nodeLabels!].reverse(),
      nodeProperties: [{ desc: 3749 }, { code: 3749 }],
      nodeStructures: [...SUMMARY.nodeStructures!].reverse(),
    };
    assert.deepEqual(compareGraphs(facts, graphFacts(reordered)), []);
  });

  test("each difference is named, with both sides' values", () => {
    const target = graphFacts({
      ...SUMMARY,
      numEdges: 57644,
      edgeLabels: ["route"],
      edgeProperties: [{ dist: 57644 }],
      totalEdgePropertyValues: 57644,
      edgeStructures: [{ count: 57644, edgeProperties: ["dist"] }],
    });
    assert.deepEqual(compareGraphs(graphFacts(SUMMARY), target).map(describeDifference), [
      "relationships: 57,645 in the source, 57,644 in the target",
      "relationship type contains: present in the source, absent in the target",
      "relationships with property dist: 57,645 in the source, 57,644 in the target",
      "relationship property values: 57,645 in the source, 57,644 in the target",
      "relationships shaped {dist}: 57,645 in the source, 57,644 in the target",
    ]);
  });
});
