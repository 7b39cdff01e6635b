import type { PropertyValue } from "./values.js";

/** What a property value is indexed under: a Map key (compared by SameValueZero). */
export type IndexKey = string | bigint | number | boolean;

/** The prefix of a key made of text (a datetime, a list); a string value starting with it is escaped. */
const COMPOSITE = "\u0000";

/**
 * The key under which a property value is indexed: two values have the same key exactly when openCypher's `=`
 * holds between them, so an index lookup finds what a scan with `=` would (1 = 1.0, [1, 2] = [1.0, 2.0]). NaN
 * equals nothing, so it has no key. Scalars are their own key (an integer as its bigint, which a Map compares by
 * value), so that indexing allocates nothing for the common values; only datetimes and lists become text.
 */
export function indexKey(value: PropertyValue): IndexKey | undefined {
  switch (typeof value) {
    case "string":
      return value.startsWith(COMPOSITE) ? COMPOSITE + "s" + value : value;
    case "bigint":
    case "boolean":
      return value;
    case "number":
      if (Number.isNaN(value)) return undefined;
      // An integral float equals the integer of the same value: both get the integer's key.
      return Number.isInteger(value) ? BigInt(value) : value;
  }
  const text = textKey(value);
  return text === undefined ? undefined : COMPOSITE + text;
}

/** Any value as text, the kind first: equal under `=` ⇔ same text. */
function textKey(value: PropertyValue): string | undefined {
  switch (typeof value) {
    case "string":
      return "s" + value;
    case "bigint":
      return "n" + value.toString();
    case "number":
      if (Number.isNaN(value)) return undefined;
      return Number.isInteger(value) ? "n" + BigInt(value).toString() : "f" + value.toString();
    case "boolean":
      return value ? "bT" : "bF";
  }
  if (value instanceof Date) return "d" + value.getTime();
  const parts: string[] = [];
  for (const item of value) {
    const key = textKey(item);
    if (key === undefined) return undefined;
    parts.push(key);
  }
  return "l" + parts.length + "\u0000" + parts.join("\u0000");
}
