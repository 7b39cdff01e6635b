import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import gremlin from "gremlin";
import { gremlinCluster, type GremlinCluster, SERIALIZERS } from "./fixture.js";

const require = createRequire(import.meta.url);
const { graphBinaryReader } = require("gremlin/lib/structure/io/binary/GraphBinary.js") as {
  graphBinaryReader: { readResponse(buffer: Buffer): unknown };
};

/** GraphBinary type codes and GraphSON 3 types of the numbers (reference §3.3, §3.4). */
const BINARY_TYPES = new Map([
  [0x01, "Int"],
  [0x02, "Long"],
  [0x07, "Double"],
  [0x08, "Float"],
  [0x23, "BigInteger"],
]);
const GRAPHSON_TYPES = new Map([
  ["g:Int32", "Int"],
  ["g:Int64", "Long"],
  ["g:Double", "Double"],
  ["g:Float", "Float"],
]);

/**
 * The wire type of the first result of a GraphBinary response: after the envelope (version, request id, status
 * code, status message, attributes and meta maps), the result list's first traverser's value.
 */
function firstBinaryType(buffer: Buffer): string | undefined {
  let at = 1 + 1 + 16 + 4; // version, id flag and UUID, status code
  at += 1 + 4 + buffer.readInt32BE(at + 1); // status message: flag, length, text
  at += 4 + 4; // empty attributes and meta maps
  assert.equal(buffer[at], 0x09, "the results are a list");
  at += 1 + 1 + 4; // list type, flag, length
  assert.equal(buffer[at], 0x21, "a result is a traverser");
  at += 1 + 1 + 8; // traverser type, flag, bulk
  return BINARY_TYPES.get(buffer[at]!);
}

function firstGraphSONType(text: string): string | undefined {
  const response = JSON.parse(text) as {
    result: { data: { "@value": { "@value": { value: { "@type": string } } }[] } };
  };
  return GRAPHSON_TYPES.get(response.result.data["@value"][0]!["@value"].value["@type"]);
}

for (const serializer of SERIALIZERS) {
  const binary = !("mimeType" in serializer.options);
  describe(`Gremlin numbers keep their types, ${serializer.name}`, () => {
    let c: GremlinCluster;
    const responses: (Buffer | string)[] = [];
    const inner = binary ? graphBinaryReader : new gremlin.structure.io.GraphSONReader();
    // The client's own reader, which also keeps each raw response: the types are on the wire, not in JS numbers.
    const reader = {
      readResponse(data: Buffer | string) {
        responses.push(Buffer.isBuffer(data) ? Buffer.from(data) : data);
        return (inner as { readResponse(d: unknown): unknown }).readResponse(data);
      },
    };
    const typeOfLast = () => {
      const raw = responses[responses.length - 1]!;
      return binary ? firstBinaryType(raw as Buffer) : firstGraphSONType(raw.toString());
    };

    before(async () => {
      c = await gremlinCluster({ ...serializer.options, reader });
    });
    after(() => c.close());

    it("a whole-valued double stays a Double", async () => {
      assert.deepEqual(await c.g.inject(1, 3).mean().toList(), [2]);
      assert.equal(typeOfLast(), "Double");
      assert.deepEqual(await c.g.inject(0.5, 1.5).sum().toList(), [2]);
      assert.equal(typeOfLast(), "Double");
    });

    it("integers are Longs: count(), sums of integers, stored integers", async () => {
      assert.deepEqual(await c.g.inject(1, 2).count().toList(), [2]);
      assert.equal(typeOfLast(), "Long");
      assert.deepEqual(await c.g.inject(1, 2).sum().toList(), [3]);
      assert.equal(typeOfLast(), "Long");
      assert.deepEqual(await c.g.inject(2 ** 40).toList(), [2 ** 40]);
      assert.equal(typeOfLast(), "Long");
    });

    it("a fractional double is a Double", async () => {
      assert.deepEqual(await c.g.inject(1, 2).mean().toList(), [1.5]);
      assert.equal(typeOfLast(), "Double");
    });
  });
}
