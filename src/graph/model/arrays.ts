/**
 * `list` with `items` at its end. Short lists are copied at their exact size: V8's first push reserves 17
 * slots, and a graph holds millions of short lists (adjacency, properties), so that reserve would be most of
 * their memory. Long lists grow in place. The caller keeps the returned array.
 */
export function appended<T>(list: T[], ...items: T[]): T[] {
  if (list.length >= 16) {
    list.push(...items);
    return list;
  }
  const copy = new Array<T>(list.length + items.length);
  for (let i = 0; i < list.length; i++) copy[i] = list[i]!;
  for (let i = 0; i < items.length; i++) copy[list.length + i] = items[i]!;
  return copy;
}
