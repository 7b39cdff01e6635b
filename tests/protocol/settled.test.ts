import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { DBCluster } from "../../src/generated/neptune.js";
import { Chunks } from "../../src/protocol/chunks.js";
import { loadModel } from "../../src/protocol/model.js";
import { serializeQueryResponse } from "../../src/protocol/query.js";
import { isSettled, overlay, overlayBase, settle } from "../../src/protocol/settled.js";

const neptune = loadModel("neptune");

/** DescribeDBClusters' bytes for `clusters`, as text. */
const described = (clusters: object[]) =>
  serializeQueryResponse(neptune, "DescribeDBClusters", { DBClusters: clusters }, "req").toString("utf8");

/** A cluster view with text that needs escaping, multi-byte characters, lists of structures and a timestamp. */
function clusterFields(i: number): DBCluster {
  return {
    AllocatedStorage: 1,
    AvailabilityZones: ["us-east-1a", "us-east-1b"],
    DBClusterIdentifier: `graph-${i}`,
    DBClusterParameterGroup: `group <&> "quoted" 'single' — ünïcödé ${i}`,
    Endpoint: "127.0.0.1",
    MultiAZ: false,
    Port: 8182 + i,
    KmsKeyId: `arn:aws:kms:us-east-1:111111111111:key/${i}`,
    DBClusterMembers: [{ DBInstanceIdentifier: `i-${i}`, IsClusterWriter: true, PromotionTier: 1 }],
    VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-1", Status: "active" }],
    ClusterCreateTime: new Date("2026-01-02T03:04:05.006Z"),
    DeletionProtection: false,
  };
}

describe("settled values and overlays (src/protocol/settled.ts)", () => {
  test("an overlay of a settled view is written byte for byte as the same plain value", () => {
    const now = { Status: "available", LatestRestorableTime: new Date("2026-11-29T16:00:00.123Z") };
    const plain = [0, 1, 2].map((i) => ({ ...clusterFields(i), ...now }));
    const settled = [0, 1, 2].map((i) => settle(clusterFields(i)));
    const overlays = settled.map((base) => overlay(base, now));
    assert.equal(described(overlays), described(plain));
    // Written a second time (from the templates kept by the first) and with other members of their own.
    const later = { Status: "stopped", LatestRestorableTime: new Date("2026-11-29T17:00:00.000Z") };
    assert.equal(
      described(settled.map((base) => overlay(base, later))),
      described(plain.map((view) => ({ ...view, ...later }))),
    );
    assert.match(described(overlays), /<DBClusterParameterGroup>group &lt;&amp;&gt; &quot;quoted&quot;/);
  });

  test("an overlay's own members win over the base's: replaced, hidden (undefined), set later, laid over again", () => {
    const base = settle(clusterFields(7));
    const replaced = overlay(base, { Port: 9999, KmsKeyId: undefined });
    assert.equal(replaced.Port, 9999);
    assert.equal(replaced.KmsKeyId, undefined);
    assert.equal(replaced.DBClusterIdentifier, "graph-7", "the base's members read through");
    const expected = { ...clusterFields(7), Port: 9999, KmsKeyId: undefined };
    assert.equal(described([replaced]), described([expected]));
    assert.doesNotMatch(described([replaced]), /KmsKeyId/);

    // A member set on the overlay after it was made is written too (its names are read at each write).
    const changed = overlay(base, { Status: "available" }) as Record<string, unknown>;
    described([changed]);
    changed.Engine = "neptune";
    assert.equal(described([changed]), described([{ ...clusterFields(7), Status: "available", Engine: "neptune" }]));

    // An overlay of an overlay lies over the same base, with both sets of members.
    const twice = overlay(replaced, { Status: "creating" });
    assert.equal(overlayBase(twice), base);
    assert.equal(described([twice]), described([{ ...expected, Status: "creating" }]));
  });

  test("overlays layered over a settled overlay are written as the same plain values", () => {
    const base = settle(clusterFields(4));
    const available = settle(overlay(base, { Status: "available", Port: 9000 }));
    assert.equal(overlayBase(available), base);
    const times = (ms: number) => ({
      EarliestRestorableTime: new Date(Date.UTC(2026, 10, 29, 12)),
      LatestRestorableTime: new Date(Date.UTC(2026, 10, 29, 12) + ms),
    });
    const layered = [1, 2, 2, 3].map((ms) => overlay(available, times(ms)));
    assert.equal(overlayBase(layered[0]!), available, "a settled overlay is a base of its own");
    const plain = [1, 2, 2, 3].map((ms) => ({ ...clusterFields(4), Status: "available", Port: 9000, ...times(ms) }));
    assert.equal(described(layered), described(plain));
    // The settled overlay written by itself, and an overlay over it that hides one of its members.
    assert.equal(described([available]), described([{ ...clusterFields(4), Status: "available", Port: 9000 }]));
    const hidden = overlay(available, { Status: undefined });
    assert.equal(described([hidden]), described([{ ...clusterFields(4), Port: 9000 }]));
    assert.doesNotMatch(described([hidden]), /<Status>available/);
  });

  test("a settled value is frozen, through and through; an overlay of a plain value is a plain copy", () => {
    const base = settle(clusterFields(1));
    assert.ok(Object.isFrozen(base) && Object.isFrozen(base.VpcSecurityGroups![0]));
    const fields = clusterFields(1);
    const copy = overlay(fields, { Port: 1, KmsKeyId: undefined });
    assert.notEqual(copy, fields);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype, "no base: nothing registered, nothing kept");
    assert.ok(!isSettled(copy) && overlayBase(copy) === undefined);
    assert.equal(fields.Port, clusterFields(1).Port, "the value laid over is unchanged");
    assert.equal(described([copy]), described([{ ...clusterFields(1), Port: 1, KmsKeyId: undefined }]));
    assert.equal(overlayBase({ ...overlay(base, { Port: 1 }) }), undefined, "a spread copy is a plain value");
  });

  test("a settled value is written once: later responses reuse its bytes", () => {
    const fields = clusterFields(3);
    const base = settle(fields);
    const first = described([base]);
    // Dates are taken as values (settled.ts); one changed in place shows that the bytes were kept, not rewritten.
    fields.ClusterCreateTime!.setTime(Date.parse("2030-01-01T00:00:00.000Z"));
    assert.equal(described([base]), first);
    assert.notEqual(described([{ ...fields }]), first, "a plain value is written anew");
  });
});

describe("response bytes (src/protocol/chunks.ts)", () => {
  test("text and kept bytes join into UTF-8 of the exact length, multi-byte characters included", () => {
    const out = new Chunks();
    out.text = "a—";
    out.bytes(Buffer.from("ü€"));
    out.text += "😀z";
    const bytes = out.toBuffer();
    assert.equal(bytes.toString("utf8"), "a—ü€😀z");
    assert.equal(bytes.length, Buffer.byteLength("a—ü€😀z"));
  });

  test("bodies cut one after another from a slab, and a large one, keep their own bytes", () => {
    const bodies = ["first", "second—ü", "x".repeat(200_000), "third"].map((text) => {
      const out = new Chunks();
      out.text = text;
      return { text, bytes: out.toBuffer() };
    });
    for (const { text, bytes } of bodies) assert.equal(bytes.toString("utf8"), text);
  });
});
