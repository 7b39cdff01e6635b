import { LONG_MAX, LONG_MIN, type PropertyValue } from "../model/values.js";

/**
 * The columns of a bulk-load CSV file (reference §5.3, §5.4): system columns (ids, labels, ends) and typed
 * property columns `name:Type`, `name:Type[]`, `name:Type(single|set)`. Both of Neptune's property-graph formats
 * share the property types; only the system columns' names differ (formats.ts).
 */

export type Cardinality = "single" | "set";

export interface PropertyColumn {
  kind: "property";
  name: string;
  type: ValueType;
  array: boolean;
  /** As written; undefined when the header does not say (the format decides). */
  cardinality: Cardinality | undefined;
}

export type ValueType = "boolean" | "byte" | "short" | "int" | "long" | "float" | "double" | "string" | "datetime";

/** Type names, case-insensitive (reference §5.3: Bool/Boolean, Byte, …, Date/Datetime). */
const TYPE_NAMES: Record<string, ValueType> = {
  bool: "boolean",
  boolean: "boolean",
  byte: "byte",
  short: "short",
  int: "int",
  long: "long",
  float: "float",
  double: "double",
  string: "string",
  date: "datetime",
  datetime: "datetime",
};

/** Why a header or a field cannot be used; the loader reports it as a parsing error of its line. */
export class LoadFieldError extends Error {}

/** The place of the last colon that is not escaped as `\:` (a property name may contain `\:`), or -1. */
function typeSeparator(header: string): number {
  for (let i = header.length - 1; i >= 0; i--) {
    if (header[i] === ":" && header[i - 1] !== "\\") return i;
  }
  return -1;
}

/** A property column's header: `name`, `name:Type`, `name:Type[]`, `name:Type(single)`, `name:Type(set)[]`. */
export function propertyColumn(header: string): PropertyColumn {
  const at = typeSeparator(header);
  const name = (at < 0 ? header : header.slice(0, at)).replaceAll("\\:", ":");
  if (name === "") throw new LoadFieldError(`The column header '${header}' has no property name.`);
  if (at < 0) return { kind: "property", name, type: "string", array: false, cardinality: undefined };
  let spec = header.slice(at + 1).toLowerCase();
  let array = false;
  if (spec.endsWith("[]")) {
    array = true;
    spec = spec.slice(0, -2);
  }
  let cardinality: Cardinality | undefined;
  for (const c of ["single", "set"] as const) {
    if (spec.endsWith(`(${c})`)) {
      cardinality = c;
      spec = spec.slice(0, -c.length - 2);
    }
  }
  const type = TYPE_NAMES[spec];
  if (!type) throw new LoadFieldError(`The column header '${header}' names an unknown data type '${spec}'.`);
  // reference §5.3: an array is a set of values, so `(single)[]` contradicts itself.
  if (array && cardinality === "single")
    throw new LoadFieldError(`The column header '${header}' declares single cardinality for an array.`);
  return { kind: "property", name, type, array, cardinality };
}

/** Splits an array field at `;`, `\;` standing for a semicolon inside a value (reference §5.3). */
export function splitArray(field: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < field.length; i++) {
    const c = field[i]!;
    if (c === "\\" && field[i + 1] === ";") {
      current += ";";
      i++;
    } else if (c === ";") {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const INTEGER_RANGES: Record<"byte" | "short" | "int" | "long", readonly [bigint, bigint]> = {
  byte: [-128n, 127n],
  short: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  long: [LONG_MIN, LONG_MAX],
};

/** `yyyy-MM-dd`, `yyyy-MM-ddTHH:mm`, `yyyy-MM-ddTHH:mm:ss`, optional fraction and zone (reference §5.3). */
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** One field's value in a column's type; throws LoadFieldError naming the column. */
export function typedValue(text: string, column: PropertyColumn): PropertyValue {
  const refuse = () => new LoadFieldError(`'${text}' is not a valid ${column.type} for property '${column.name}'.`);
  switch (column.type) {
    case "string":
      return text;
    // reference §5.3: anything other than `true` is false.
    case "boolean":
      return text.toLowerCase() === "true";
    case "byte":
    case "short":
    case "int":
    case "long": {
      if (!/^[+-]?\d+$/.test(text.trim())) throw refuse();
      const n = BigInt(text.trim());
      const [min, max] = INTEGER_RANGES[column.type];
      if (n < min || n > max) throw refuse();
      return n;
    }
    case "float":
    case "double": {
      // reference §5.3: NaN and ±Infinity are accepted, `INF` is not; Number() alone would take "" and hex.
      const t = text.trim();
      if (t === "NaN" || t === "Infinity" || t === "+Infinity") return t === "NaN" ? NaN : Infinity;
      if (t === "-Infinity") return -Infinity;
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) throw refuse();
      return Number(t);
    }
    case "datetime": {
      const m = DATETIME.exec(text.trim());
      if (!m) throw refuse();
      // Neptune stores datetimes in UTC: a value without a zone is taken as UTC.
      const iso = `${m[1]}T${m[2] ?? "00:00"}${m[3] ?? ":00"}${m[4] ?? "Z"}`;
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) throw refuse();
      return date;
    }
  }
}
