import { LoadFieldError, propertyColumn, type Cardinality, type PropertyColumn } from "./columns.js";

/**
 * What a file's header row says: vertex or edge file, and which column holds what. The two property-graph
 * formats of Neptune's loader differ only here (reference §5.3 Gremlin CSV `~id ~label ~from ~to`; §5.4
 * openCypher CSV `:ID :LABEL :START_ID :END_ID :TYPE`).
 */
export type LoadFormat = "csv" | "opencypher";

export interface FilePlan {
  kind: "vertex" | "edge";
  id: number;
  /** Labels of a vertex (`;`-separated), the type of an edge; -1 when absent (the default label then). */
  label: number;
  from: number;
  to: number;
  /** By column: its property, or undefined for a system column. */
  properties: (PropertyColumn | undefined)[];
  /** openCypher `name:ID`: the id is also stored as property `name`. */
  idProperty: string | undefined;
  /** The cardinality of a vertex property whose header does not say one. */
  defaultCardinality: Cardinality;
}

/** Labels when a file has no label column (reference §5.3: absent → `vertex` / `edge`). */
export const DEFAULT_VERTEX_LABEL = "vertex";
export const DEFAULT_EDGE_LABEL = "edge";

interface SystemNames {
  id: string;
  label: string;
  from: string;
  to: string;
  type: string;
}

const GREMLIN: SystemNames = { id: "~id", label: "~label", from: "~from", to: "~to", type: "~label" };
const OPENCYPHER: SystemNames = { id: ":ID", label: ":LABEL", from: ":START_ID", to: ":END_ID", type: ":TYPE" };

/** The plan of a file from its header; throws LoadFieldError when the header cannot be loaded. */
export function filePlan(format: LoadFormat, header: readonly (string | null)[]): FilePlan {
  const names = format === "csv" ? GREMLIN : OPENCYPHER;
  // System columns are matched case-insensitively (Neptune's examples write `~ID` and `~id` alike).
  const cells = header.map((h) => (h ?? "").trim());
  const find = (name: string) => cells.findIndex((c) => c.toLowerCase() === name.toLowerCase());
  const from = find(names.from);
  const to = find(names.to);
  const kind = from >= 0 || to >= 0 ? "edge" : "vertex";
  if (kind === "edge" && (from < 0 || to < 0))
    throw new LoadFieldError(`An edge file needs both ${names.from} and ${names.to} columns.`);
  let id = find(names.id);
  let idProperty: string | undefined;
  if (format === "opencypher" && id < 0) {
    // `name:ID` stores the id as property `name` too (reference §5.4).
    id = cells.findIndex((c) => c.toUpperCase().endsWith(":ID") && !c.startsWith(":"));
    if (id >= 0) idProperty = cells[id]!.slice(0, -3);
  }
  // *Decided*: ID spaces (`:ID(space)`) are not supported: how Neptune joins a space to a stored id is not
  // documented (reference §5.4 UNCERTAIN), and guessing would store ids no query on Neptune would find.
  if (cells.some((c) => /^:(ID|START_ID|END_ID)\(/i.test(c) || /:ID\(/i.test(c)))
    throw new LoadFieldError("ID spaces (:ID(space)) are not supported by Trident's loader.");
  const label = find(kind === "edge" ? names.type : names.label);
  const system = new Set([id, label, from, to]);
  const properties = cells.map((cell, i) => {
    if (system.has(i)) return undefined;
    if (cell.startsWith("~") || (format === "opencypher" && cell.startsWith(":")))
      throw new LoadFieldError(`The column header '${cell}' is not a system column of the ${format} format.`);
    const column = propertyColumn(cell);
    // reference §5.3: edge properties are single-valued; an array column on an edge is an error.
    if (kind === "edge" && column.array)
      throw new LoadFieldError(`The edge property column '${cell}' is an array; edge properties are single.`);
    return column;
  });
  return {
    kind,
    id,
    label,
    from,
    to,
    properties,
    idProperty,
    // Gremlin's default cardinality is set (reference §5.3); openCypher's properties are single-valued.
    defaultCardinality: format === "csv" ? "set" : "single",
  };
}
