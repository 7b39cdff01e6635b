import type { GremlinCluster } from "./fixture.js";
import { T } from "./fixture.js";

type Properties = Record<string, string | number>;

/** The steps tests' graph, in the order it is made (V() and E() answer in that order). */
const VERTICES: [id: string, label: string, properties: Properties][] = [
  ["p1", "person", { name: "Ada", age: 36 }],
  ["p2", "person", { name: "Charles", age: 40 }],
  ["p3", "person", { name: "Bob", age: 25 }],
  ["s1", "software", { name: "engine", lang: "en" }],
];
const EDGES: [id: string, label: string, from: string, to: string, properties: Properties][] = [
  ["e1", "knows", "p1", "p2", { since: 1833 }],
  ["e2", "created", "p1", "s1", { weight: 0.5 }],
  ["e3", "created", "p2", "s1", { weight: 1.5 }],
  ["e4", "knows", "p2", "p3", {}],
];

/** Adds the steps tests' graph in one traversal (one request). */
export async function addStepsGraph(g: GremlinCluster["g"]): Promise<void> {
  type Traversal = ReturnType<GremlinCluster["g"]["addV"]>;
  const withProperties = (t: Traversal, properties: Properties) =>
    Object.entries(properties).reduce((acc, [key, value]) => acc.property(key, value), t);
  let t: Traversal | undefined;
  for (const [id, label, properties] of VERTICES) {
    const added = (t ? t.addV(label) : g.addV(label)).property(T.id, id);
    t = withProperties(added, properties).as(id);
  }
  for (const [id, label, from, to, properties] of EDGES)
    t = withProperties(t!.addE(label).from_(from).to(to).property(T.id, id), properties);
  await t!.iterate();
}
