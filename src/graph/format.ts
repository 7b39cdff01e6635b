import { formatFloat } from "./exec/arithmetic.js";
import type { QueryResult } from "./exec/execute.js";
import type { Properties } from "./model/properties.js";
import { Node, Path, Relationship, type PropertyValue, type Value } from "./model/values.js";

/**
 * A result as Neptune's openCypher HTTP endpoint writes it (reference §2.2): `{"results":[row…]}`, each row an
 * object keyed by column; nodes and relationships as `~id`/`~entityType`/`~labels`/`~type`/`~start`/`~end`/
 * `~properties` objects; a path as a flat array node, relationship, node…; a datetime as an ISO-8601 UTC string
 * with milliseconds (the extended-datetime form).
 *
 * Written by hand rather than through JSON.stringify because integers are 64-bit: 9007199254740993 must reach
 * the client as those digits. Floats keep a fractional part (`2.0`), as Neptune's Java serializer writes them;
 * NaN and ±Infinity, which JSON cannot carry as numbers, are written as the strings "NaN", "Infinity",
 * "-Infinity" (Jackson's default quoting of non-numeric numbers). Decision, not a source: both are UNCERTAIN.
 */
export function toNeptuneJson(result: QueryResult): string {
  const rows = result.rows.map(
    (row) => "{" + result.columns.map((column, i) => JSON.stringify(column) + ":" + json(row[i]!)).join(",") + "}",
  );
  return '{"results":[' + rows.join(",") + "]}";
}

function json(v: Value | PropertyValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "boolean":
      return v ? "true" : "false";
    case "bigint":
      return v.toString();
    case "number":
      return Number.isFinite(v) ? formatFloat(v) : JSON.stringify(formatFloat(v));
  }
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return "[" + v.map(json).join(",") + "]";
  if (v instanceof Map) return "{" + [...v].map(([k, x]) => JSON.stringify(k) + ":" + json(x)).join(",") + "}";
  if (v instanceof Node) {
    return (
      `{"~id":${JSON.stringify(v.id)},"~entityType":"node","~labels":${json([...v.labels])},` +
      `"~properties":${properties(v.properties)}}`
    );
  }
  if (v instanceof Relationship) {
    return (
      `{"~id":${JSON.stringify(v.id)},"~entityType":"relationship","~start":${JSON.stringify(v.start.id)},` +
      `"~end":${JSON.stringify(v.end.id)},"~type":${JSON.stringify(v.type)},"~properties":${properties(v.properties)}}`
    );
  }
  return json(pathElements(v));
}

function properties(props: Properties): string {
  return "{" + [...props].map(([k, x]) => JSON.stringify(k) + ":" + json(x)).join(",") + "}";
}

function pathElements(path: Path): Value[] {
  const out: Value[] = [path.nodes[0]!];
  path.relationships.forEach((rel, i) => out.push(rel, path.nodes[i + 1]!));
  return out;
}
