import { seededRandom } from "../../tests/helpers/random.js";

/**
 * A generated graph for the engine's bench, the same for the same size: several labels and relationship types,
 * and properties of every stored type (string, 64-bit integer, float, boolean, datetime, list). Node `i` has the
 * id `n<i>` and the unique integer property `uid: i`; its label is fixed by where `i` falls, as is a
 * relationship's type by where its number falls, so that a batch of consecutive elements shares one label or type.
 */

/** Shares of the nodes per label, in order of node number. */
const LABELS: [label: string, share: number][] = [
  ["Person", 0.6],
  ["Post", 0.3],
  ["Company", 0.075],
  ["City", 0.025],
];

/** Shares of the relationships per type, with the labels of their start and end nodes. */
const TYPES: [type: string, share: number, from: string, to: string][] = [
  ["KNOWS", 0.5, "Person", "Person"],
  ["WROTE", 0.2, "Person", "Post"],
  ["LIKES", 0.2, "Person", "Post"],
  ["WORKS_AT", 0.06, "Person", "Company"],
  ["LOCATED_IN", 0.04, "Company", "City"],
];

const EPOCH = Date.UTC(2020, 0, 1);

export type Scalar = string | number | boolean | Date | string[];

export interface NodeSpec {
  id: string;
  label: string;
  /** `score` is a float with a fraction (it stays a float through JSON parameters). */
  properties: Record<string, Scalar>;
}

export interface RelationshipSpec {
  type: string;
  start: number;
  end: number;
  properties: Record<string, Scalar>;
}

/** Consecutive ranges [from, to) of `count` elements, one per share. */
function ranges<T extends [string, number, ...unknown[]]>(shares: T[], count: number) {
  let from = 0;
  return shares.map((entry, i) => {
    const to = i === shares.length - 1 ? count : from + Math.round(entry[1] * count);
    const range = { entry, from, to };
    from = to;
    return range;
  });
}

export function generatedGraph(nodeCount: number, relCount: number, seed = 20261129) {
  const random = seededRandom(seed);
  const labelRanges = ranges(LABELS, nodeCount);
  const nodeRange = (label: string) => labelRanges.find((r) => r.entry[0] === label)!;

  function node(i: number): NodeSpec {
    const label = labelRanges.find((r) => i < r.to)!.entry[0];
    const properties: Record<string, Scalar> = {
      uid: i,
      name: `${label.toLowerCase()}-${i}`,
      rank: i % 100,
      score: (i % 1000) + 0.25,
      active: i % 3 !== 0,
      created: new Date(EPOCH + i * 60_000),
    };
    if (i % 4 === 0) properties.tags = [`t${i % 10}`, `t${i % 7}`];
    return { id: `n${i}`, label, properties };
  }

  /** The relationships in batches of one type, `size` at most each (random ends: call once). */
  function* relationshipBatches(size: number): Generator<RelationshipSpec[]> {
    for (const { entry, from, to } of ranges(TYPES, relCount)) {
      const [type, , fromLabel, toLabel] = entry;
      const starts = nodeRange(fromLabel);
      const ends = nodeRange(toLabel);
      for (let first = from; first < to; first += size) {
        const batch: RelationshipSpec[] = [];
        for (let j = first; j < Math.min(to, first + size); j++) {
          const properties: Record<string, Scalar> = {};
          if (type === "KNOWS" || type === "WORKS_AT") properties.since = 2000 + (j % 25);
          if (type === "KNOWS" || type === "LIKES") properties.weight = (j % 10) / 10 + 0.05;
          if (type === "WROTE") properties.at = new Date(EPOCH + j * 1000);
          batch.push({
            type,
            start: starts.from + random.int(starts.to - starts.from),
            end: ends.from + random.int(ends.to - ends.from),
            properties,
          });
        }
        yield batch;
      }
    }
  }

  return { labels: LABELS.map(([label]) => label), node, relationshipBatches, nodeRange };
}
