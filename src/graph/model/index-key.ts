import type { PropertyValue } from "./values.js";

/**
 * The key under which a property value is indexed: two values have the same key exactly when openCypher's `=`
 * holds between them, so an index lookup finds what a scan with `=` would (1 = 1.0, [1, 2] = [1.0, 2.0]). NaN
 * equals nothing, so it has no key.
 */
export function indexKey(value: PropertyValue): string | undefined {
  switch (typeof value) {
    case "string":
      return "s" + value;
    case "bigint":
      return "n" + value.toString();
    case "number":
      if (Number.isNaN(value)) return undefined;
      // An integral float equals the integer of the same value: both get the integer's key.
      return Number.isInteger(value) ? "n" + BigInt(value).toString() : "f" + value.toString();
    case "boolean":
      return value ? "bT" : "bF";
  }
  if (value instanceof Date) return "d" + value.getTime();
  const parts: string[] = [];
  for (const item of value) {
    const key = indexKey(item);
    if (key === undefined) return undefined;
    parts.push(key);
  }
  return "l" + parts.length + "\u0000" + parts.join("\u0000");
}
