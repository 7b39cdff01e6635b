import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";

/**
 * Both graphs compared element by element (cutover's `--compare-elements`): every node with its id, labels and
 * properties, every relationship with its id, type, ends and properties, read with openCypher in pages ordered by
 * id. Exact, unlike the summary, and costs a full read of both graphs: meant for the emulator and for graphs small
 * enough to read twice.
 */

export const ELEMENT_PAGE = 5000;

/** One element in a comparable form: its id and a canonical JSON of everything else. */
export type Elements = Map<string, string>;

export interface ElementDifference {
  kind: "node" | "relationship";
  id: string;
  source?: string;
  target?: string;
}

const NODES =
  "MATCH (n) WITH n ORDER BY id(n) SKIP $skip LIMIT $limit RETURN id(n) AS id, labels(n) AS labels, properties(n) AS properties";
const RELATIONSHIPS =
  "MATCH (a)-[r]->(b) WITH a, r, b ORDER BY id(r) SKIP $skip LIMIT $limit RETURN id(r) AS id, type(r) AS type, id(a) AS from, id(b) AS to, properties(r) AS properties";

/** Every node and relationship of a graph, keyed by kind and id. */
export async function readElements(client: NeptunedataClient): Promise<{ nodes: Elements; relationships: Elements }> {
  const nodes = await readAll(client, NODES, (row) => ({
    labels: [...(row.labels as string[])].sort(),
    properties: row.properties,
  }));
  const relationships = await readAll(client, RELATIONSHIPS, (row) => ({
    type: row.type,
    from: row.from,
    to: row.to,
    properties: row.properties,
  }));
  return { nodes, relationships };
}

async function readAll(
  client: NeptunedataClient,
  query: string,
  shape: (row: Record<string, unknown>) => unknown,
): Promise<Elements> {
  const elements: Elements = new Map();
  for (let skip = 0; ; skip += ELEMENT_PAGE) {
    const answer = await client.send(
      new ExecuteOpenCypherQueryCommand({
        openCypherQuery: query,
        parameters: JSON.stringify({ skip, limit: ELEMENT_PAGE }),
      }),
    );
    const rows = (answer.results ?? []) as Record<string, unknown>[];
    for (const row of rows) elements.set(String(row.id), canonical(shape(row)));
    if (rows.length < ELEMENT_PAGE) return elements;
  }
}

/** JSON with object keys sorted, so that equal elements give equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : 1)))
      : inner,
  );
}

export function compareElements(
  source: { nodes: Elements; relationships: Elements },
  target: { nodes: Elements; relationships: Elements },
): ElementDifference[] {
  return [
    ...differences("node", source.nodes, target.nodes),
    ...differences("relationship", source.relationships, target.relationships),
  ];
}

function differences(kind: ElementDifference["kind"], source: Elements, target: Elements): ElementDifference[] {
  const found: ElementDifference[] = [];
  for (const [id, element] of source) {
    const other = target.get(id);
    if (other !== element) found.push({ kind, id, source: element, ...(other !== undefined ? { target: other } : {}) });
  }
  for (const [id, element] of target) if (!source.has(id)) found.push({ kind, id, target: element });
  return found;
}

export function describeElementDifference(difference: ElementDifference): string {
  const { kind, id, source, target } = difference;
  if (source === undefined) return `${kind} ${id}: only in the target ${target}`;
  if (target === undefined) return `${kind} ${id}: only in the source ${source}`;
  return `${kind} ${id}: ${source} in the source, ${target} in the target`;
}
