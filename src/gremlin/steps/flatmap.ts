import { adjacent, edge, other, propertiesOf, propertyValues } from "../elements.js";
import { Node } from "../../graph/model/values.js";
import { child, type StepRunner } from "./run.js";
import { flatMapEach, mapEach } from "./traverser.js";
import { unfolded } from "./collections.js";

/** The steps that move along the graph (adjacency), or unroll values. */
export const FLATMAP_STEPS: Record<string, StepRunner> = {
  out: vertices("out"),
  in: vertices("in"),
  both: vertices("both"),
  outE: edges("out"),
  inE: edges("in"),
  bothE: edges("both"),
  outV: (_step, stream) => mapEach(stream, (t) => edge(t.value).start),
  inV: (_step, stream) => mapEach(stream, (t) => edge(t.value).end),
  bothV: (_step, stream) => flatMapEach(stream, (t) => [edge(t.value).start, edge(t.value).end]),
  otherV: (_step, stream) =>
    mapEach(stream, (t) => {
      const rel = edge(t.value);
      const previous = t.path[t.path.length - 2]?.object;
      return previous instanceof Node && previous === rel.end ? rel.start : rel.end;
    }),
  values: ({ args }, stream) => flatMapEach(stream, (t) => propertyValues(t.value, args.map(String))),
  unfold: (_step, stream) => flatMapEach(stream, (t) => unfolded(t.value)),
  properties: ({ args }, stream) => flatMapEach(stream, (t) => propertiesOf(t.value, args.map(String))),
  // flatMap(traversal): everything the traversal yields from each traverser.
  flatMap: ({ args }, stream, ctx) => stream.flatMap((t) => child(args[0], t, ctx)),
};

function vertices(direction: string): StepRunner {
  return ({ args }, stream) =>
    flatMapEach(stream, (t) => adjacent(t.value, direction, args).map(([rel, node]) => other(rel, node)));
}

function edges(direction: string): StepRunner {
  return ({ args }, stream) => flatMapEach(stream, (t) => adjacent(t.value, direction, args).map(([rel]) => rel));
}
