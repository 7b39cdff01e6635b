import type { ChangeRecord, ValueKind } from "./stream-records.js";

/**
 * Stream records → one openCypher request that applies them, whole, on the target.
 *
 * Why openCypher and not Gremlin bytecode: openCypher can add a label to an existing node (`SET n:L`; Gremlin's
 * labels are fixed at addV), both Neptune and the local AWS take `~id` in CREATE/MERGE/MATCH, and every value
 * travels as a query parameter (no literal escaping); neptunedata's ExecuteOpenCypherQuery runs one request as one
 * transaction, so the target applies the source's transactions whole.
 *
 * Idempotent: the batch is reduced to its net effect per element (the last op on a label, a property, a
 * relationship wins; a REMOVE of a value removes only that value), and each effect is written so that applying it
 * to a graph that already has it changes nothing: nodes are created only when absent (with their first label, so
 * Neptune's default label `vertex` never appears: Neptune user guide, openCypher data model), labels are SET,
 * properties SET or removed, relationships MERGEd by id, deletions MATCH first. So replaying a record twice, or
 * replaying records the snapshot already holds (see steps/replay-position.ts), ends in the same graph.
 *
 * The query is segments joined by `WITH count(*) AS done`: an aggregate without grouping keys always yields one
 * row, so a segment that matches nothing (a relationship whose node a later record deletes) does not stop the next.
 *
 * Decided: Gremlin's set-cardinality properties (several vp ADDs of one key) are written single-valued, the last
 * value winning; the PG_JSON record does not say a property's cardinality, and openCypher writes single values.
 */

export interface CypherRequest {
  query: string;
  parameters: Record<string, unknown>;
}

type PropertyEffect =
  | { kind: "set"; value: ChangeRecord["value"]; valueKind: ValueKind }
  | { kind: "remove" }
  | { kind: "remove-if"; values: { value: ChangeRecord["value"]; valueKind: ValueKind }[] };

interface NodeEffect {
  /** label → the last op on it; in the order first seen (the first added label creates a missing node). */
  labels: Map<string, "ADD" | "REMOVE">;
  properties: Map<string, PropertyEffect>;
}

interface EdgeEffect {
  op?: "ADD" | "REMOVE";
  type?: string;
  from?: string;
  to?: string;
  properties: Map<string, PropertyEffect>;
}

/** The net effect of a sequence of records, per element. */
export function netEffect(records: readonly ChangeRecord[]): {
  nodes: Map<string, NodeEffect>;
  edges: Map<string, EdgeEffect>;
} {
  const nodes = new Map<string, NodeEffect>();
  const edges = new Map<string, EdgeEffect>();
  const node = (id: string) => {
    let effect = nodes.get(id);
    if (!effect) nodes.set(id, (effect = { labels: new Map(), properties: new Map() }));
    return effect;
  };
  const edge = (id: string) => {
    let effect = edges.get(id);
    if (!effect) edges.set(id, (effect = { properties: new Map() }));
    return effect;
  };
  for (const record of records) {
    if (record.type === "vl") node(record.id).labels.set(String(record.value), record.op);
    else if (record.type === "vp") changeProperty(node(record.id).properties, record);
    else if (record.type === "ep") changeProperty(edge(record.id).properties, record);
    else
      Object.assign(edge(record.id), { op: record.op, type: String(record.value), from: record.from, to: record.to });
  }
  return { nodes, edges };
}

function changeProperty(properties: Map<string, PropertyEffect>, record: ChangeRecord): void {
  const current = properties.get(record.key);
  const value = { value: record.value, valueKind: record.valueKind };
  if (record.op === "ADD") properties.set(record.key, { kind: "set", ...value });
  else if (!current) properties.set(record.key, { kind: "remove-if", values: [value] });
  else if (current.kind === "set" && current.value === record.value && current.valueKind === record.valueKind)
    properties.set(record.key, { kind: "remove" });
  else if (current.kind === "remove-if") current.values.push(value);
  // A REMOVE of another value than the one set leaves the set value.
}

/** The openCypher request that applies `records` (complete transactions, in commit order); undefined: no change. */
export function translate(records: readonly ChangeRecord[]): CypherRequest | undefined {
  const { nodes, edges } = netEffect(records);
  const builder = new QueryBuilder();

  const creations = new Group<string>();
  const labelAdds = new Group<string>();
  const labelRemoves = new Group<string>();
  const deletions: { id: string; labels: string[] }[] = [];
  for (const [id, effect] of nodes) {
    const added = [...effect.labels].filter(([, op]) => op === "ADD").map(([label]) => label);
    const removed = [...effect.labels].filter(([, op]) => op === "REMOVE").map(([label]) => label);
    if (added.length > 0) creations.add(added[0]!, id);
    for (const label of added) labelAdds.add(label, id);
    for (const label of removed) labelRemoves.add(label, id);
    if (removed.length > 0 && added.length === 0) deletions.push({ id, labels: removed });
  }
  for (const [label, ids] of creations)
    builder.segment(
      (rows) =>
        `UNWIND ${rows} AS r OPTIONAL MATCH (n {\`~id\`: r}) WITH r, n WHERE n IS NULL CREATE (:${name(label)} {\`~id\`: r})`,
      ids,
    );
  for (const [label, ids] of labelAdds)
    builder.segment((rows) => `UNWIND ${rows} AS r MATCH (n {\`~id\`: r}) SET n:${name(label)}`, ids);
  propertySegments(builder, nodes, "MATCH (x {`~id`: r.id})");

  const edgeAdds = new Group<{ id: string; from: string; to: string }>();
  const edgeRemoves: string[] = [];
  for (const [id, effect] of edges) {
    if (effect.op === "ADD") edgeAdds.add(effect.type!, { id, from: effect.from!, to: effect.to! });
    if (effect.op === "REMOVE") edgeRemoves.push(id);
  }
  for (const [type, rows] of edgeAdds)
    builder.segment(
      (param) =>
        `UNWIND ${param} AS r MATCH (a {\`~id\`: r.from}), (b {\`~id\`: r.to}) MERGE (a)-[:${name(type)} {\`~id\`: r.id}]->(b)`,
      rows,
    );
  propertySegments(builder, edges, "MATCH ()-[x]->() WHERE id(x) = r.id");
  if (edgeRemoves.length > 0)
    builder.segment((rows) => `UNWIND ${rows} AS r MATCH ()-[x]->() WHERE id(x) = r DELETE x`, edgeRemoves);

  // A node keeps at least one label (Neptune refuses to remove the last): labels go while others remain, then a
  // node whose every remaining label this batch removes is the deleted node (its relationships with it).
  for (const [label, ids] of labelRemoves)
    builder.segment(
      (rows) => `UNWIND ${rows} AS r MATCH (n {\`~id\`: r}) WHERE size(labels(n)) > 1 REMOVE n:${name(label)}`,
      ids,
    );
  if (deletions.length > 0)
    builder.segment(
      (rows) =>
        `UNWIND ${rows} AS r MATCH (n {\`~id\`: r.id}) WHERE all(l IN labels(n) WHERE l IN r.labels) DETACH DELETE n`,
      deletions,
    );
  return builder.request();
}

/** SET, REMOVE and remove-if-equal segments for the elements' properties, grouped by key and value kind. */
function propertySegments(
  builder: QueryBuilder,
  elements: Map<string, { properties: Map<string, PropertyEffect> }>,
  match: string,
): void {
  const sets = new Group<{ id: string; v: unknown }>();
  const removes = new Group<{ id: string }>();
  const removeIfs = new Group<{ id: string; v: unknown }>();
  for (const [id, element] of elements) {
    for (const [key, effect] of element.properties) {
      if (effect.kind === "set") sets.add(JSON.stringify([key, effect.valueKind]), { id, v: effect.value });
      else if (effect.kind === "remove") removes.add(key, { id });
      else for (const one of effect.values) removeIfs.add(JSON.stringify([key, one.valueKind]), { id, v: one.value });
    }
  }
  for (const [group, rows] of sets) {
    const [key, kind] = JSON.parse(group) as [string, ValueKind];
    builder.segment((param) => `UNWIND ${param} AS r ${match} SET x.${name(key)} = ${typed("r.v", kind)}`, rows);
  }
  for (const [key, rows] of removes)
    builder.segment((param) => `UNWIND ${param} AS r ${match} REMOVE x.${name(key)}`, rows);
  for (const [group, rows] of removeIfs) {
    const [key, kind] = JSON.parse(group) as [string, ValueKind];
    builder.segment(
      (param) =>
        `UNWIND ${param} AS r ${match} WITH r, x WHERE x.${name(key)} = ${typed("r.v", kind)} REMOVE x.${name(key)}`,
      rows,
    );
  }
}

/** A parameter as the value kind it was on the source: JSON has no float-typed 2.0 and no datetime. */
function typed(expression: string, kind: ValueKind): string {
  if (kind === "float") return `toFloat(${expression})`;
  if (kind === "datetime") return `datetime(${expression})`;
  return expression;
}

/** A label, type or property name as an openCypher identifier: backquoted, a backquote doubled. */
function name(identifier: string): string {
  return `\`${identifier.replaceAll("`", "``")}\``;
}

/** Items grouped under a key, in the order the keys were first seen. */
class Group<T> extends Map<string, T[]> {
  add(key: string, item: T): void {
    const items = this.get(key);
    if (items) items.push(item);
    else this.set(key, [item]);
  }
}

class QueryBuilder {
  private readonly segments: string[] = [];
  private readonly parameters: Record<string, unknown> = {};

  /** A segment over rows passed as one list parameter. */
  segment(text: (parameter: string) => string, rows: unknown[]): void {
    const parameter = `p${this.segments.length}`;
    this.parameters[parameter] = rows;
    this.segments.push(text(`$${parameter}`));
  }

  request(): CypherRequest | undefined {
    if (this.segments.length === 0) return undefined;
    return {
      query: `${this.segments.join(" WITH count(*) AS done ")} RETURN count(*) AS done`,
      parameters: this.parameters,
    };
  }
}
