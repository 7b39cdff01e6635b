/**
 * A record safe to index with names from a request: no prototype, so `constructor`, `toString`, `__proto__` or
 * `hasOwnProperty` are absent keys (or ordinary own keys once set), never Object.prototype's members.
 */
export function dictionary<V>(entries?: Record<string, V>): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (entries) for (const [key, value] of Object.entries(entries)) out[key] = value;
  return out;
}
