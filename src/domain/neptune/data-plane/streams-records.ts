import type { Change } from "../../../graph/storage/changes.js";
import type { PropertyValue } from "../../../graph/model/values.js";

/**
 * Neptune Streams' PG_JSON change records, made from a committed transaction's changes (graph/storage/changes.ts).
 * Shapes from docs streams-change-formats.html (PG_JSON) and the neptunedata model's PropertygraphData:
 * `{id, type, key, value: {value, dataType}, from?, to?}` with type `vl` (a node label, key "label"), `vp` (a node
 * property), `e` (a relationship: key "label", its type as the value, `from`/`to` its ends) or `ep` (a relationship
 * property), and `op` ADD or REMOVE.
 *
 * Neptune stores a graph as statements (one per label, per property value, per edge), and its stream logs each
 * statement added or removed. So, *decided* after that model:
 *   - a node with 2 labels and 3 properties is 2 `vl` then 3 `vp` records; a relationship an `e` then its `ep`s;
 *   - a multi-valued (Gremlin set cardinality) property is one record per value, and adding a value to the set
 *     logs that value only;
 *   - replacing a value logs REMOVE of the old value, then ADD of the new one; writing the value a property
 *     already has logs nothing;
 *   - removing a node logs REMOVE of each property value, then of each label (its relationships were removed
 *     before it by the query, each logged as REMOVE of its properties then of itself, in the order they went).
 */
export interface StreamData {
  id: string;
  type: "vl" | "vp" | "e" | "ep";
  key: string;
  value: { value: string | number | boolean; dataType: string };
  from?: string;
  to?: string;
}

export interface StreamOp {
  data: StreamData;
  op: "ADD" | "REMOVE";
}

/**
 * *Decided* data types (docs streams-change-formats.html shows `String`; the others are the Java type names
 * Neptune's engine uses): String, Boolean, Long for an integer (openCypher's integers are 64-bit, and the graph does
 * not keep Gremlin's Int32/Int64 apart), Double for a float, Date for a datetime (written as ISO-8601, UTC). A
 * Long beyond JavaScript's exact range is written as its digits, so no digit is lost.
 */
function typed(value: PropertyValue): StreamData["value"] {
  if (typeof value === "string") return { value, dataType: "String" };
  if (typeof value === "boolean") return { value, dataType: "Boolean" };
  if (typeof value === "bigint")
    return { value: Number.isSafeInteger(Number(value)) ? Number(value) : value.toString(), dataType: "Long" };
  if (typeof value === "number") return { value, dataType: "Double" };
  if (value instanceof Date) return { value: value.toISOString(), dataType: "Date" };
  return { value: String(value), dataType: "String" };
}

/** A property's values: one per element of a multi-valued property. */
const valuesOf = (value: PropertyValue | undefined): PropertyValue[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const sameValue = (a: PropertyValue, b: PropertyValue): boolean =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b;

export function streamOps(changes: readonly Change[]): StreamOp[] {
  const ops: StreamOp[] = [];
  const push = (op: StreamOp["op"], data: StreamData) => ops.push({ data, op });
  const label = (op: StreamOp["op"], id: string, value: string) =>
    push(op, { id, type: "vl", key: "label", value: typed(value) });
  const properties = (op: StreamOp["op"], on: "vp" | "ep", id: string, entries: [string, PropertyValue][]) => {
    for (const [key, value] of entries)
      for (const one of valuesOf(value)) push(op, { id, type: on, key, value: typed(one) });
  };
  const edge = (op: StreamOp["op"], id: string, type: string, from: string, to: string) =>
    push(op, { id, type: "e", key: "label", value: typed(type), from, to });

  for (const change of changes) {
    switch (change.op) {
      case "addNode":
        for (const name of change.labels) label("ADD", change.id, name);
        properties("ADD", "vp", change.id, change.properties);
        break;
      case "removeNode":
        properties("REMOVE", "vp", change.id, change.was?.properties ?? []);
        for (const name of change.was?.labels ?? []) label("REMOVE", change.id, name);
        break;
      case "addLabel":
        label("ADD", change.id, change.label);
        break;
      case "removeLabel":
        label("REMOVE", change.id, change.label);
        break;
      case "setProperty":
      case "removeProperty": {
        const on = change.on === "node" ? "vp" : "ep";
        const before = valuesOf(change.was);
        const after = valuesOf(change.op === "setProperty" ? change.value : undefined);
        const gone = before.filter((v) => !after.some((w) => sameValue(v, w)));
        const added = after.filter((v) => !before.some((w) => sameValue(v, w)));
        for (const v of gone) push("REMOVE", { id: change.id, type: on, key: change.key, value: typed(v) });
        for (const v of added) push("ADD", { id: change.id, type: on, key: change.key, value: typed(v) });
        break;
      }
      case "addRelationship":
        edge("ADD", change.id, change.type, change.start, change.end);
        properties("ADD", "ep", change.id, change.properties);
        break;
      case "removeRelationship":
        if (!change.was) break;
        properties("REMOVE", "ep", change.id, change.was.properties);
        edge("REMOVE", change.id, change.was.type, change.was.start, change.was.end);
        break;
    }
  }
  return ops;
}
