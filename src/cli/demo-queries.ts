import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";

/**
 * What the demo asks of both graphs once the target serves: counts per label and per relationship type, and the
 * questions an application of the shop would ask (2- and 3-hop lookups, aggregations, typed filters). Every query
 * orders its rows fully, so equal graphs give equal answers; sums of doubles are rounded to cents, so the order
 * in which a graph happens to visit its elements cannot change the last bit of an answer.
 */

export interface DemoQuery {
  title: string;
  query: string;
  parameters?: Record<string, unknown>;
}

export const GRAPH_COUNTS: DemoQuery[] = [
  {
    title: "nodes per label",
    query: "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS nodes ORDER BY label",
  },
  {
    title: "relationships per type",
    query: "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS relationships ORDER BY type",
  },
];

export const APPLICATION_QUERIES: DemoQuery[] = [
  {
    title: "top customers by spend",
    query:
      "MATCH (c:Customer)-[:PLACED]->(o:Order) WITH c, count(o) AS orders, sum(o.total) AS total " +
      "RETURN id(c) AS id, c.name AS customer, orders, round(total * 100) / 100.0 AS spent " +
      "ORDER BY spent DESC, id LIMIT 5",
  },
  {
    title: "bought together with SKU-01000 (2 hops)",
    query:
      "MATCH (p:Product {sku: $sku})<-[:CONTAINS]-(:Order)-[:CONTAINS]->(other:Product) " +
      "RETURN other.sku AS sku, other.name AS product, count(*) AS orders ORDER BY orders DESC, sku LIMIT 5",
    parameters: { sku: "SKU-01000" },
  },
  {
    title: "units and revenue per category",
    query:
      "MATCH (:Order)-[line:CONTAINS]->(:Product)-[:IN_CATEGORY]->(category:Category) " +
      "RETURN category.name AS category, sum(line.quantity) AS units, " +
      "round(sum(line.quantity * line.unitPrice) * 100) / 100.0 AS revenue ORDER BY category",
  },
  {
    title: "VIP customers waiting for orders placed since June",
    query:
      "MATCH (c:Customer {vip: true})-[:PLACED]->(o:Order {delivered: false}) " +
      "WHERE o.placedAt >= datetime('2026-06-01T00:00:00Z') " +
      "WITH c, count(o) AS waiting, min(o.placedAt) AS oldest " +
      "RETURN id(c) AS id, c.name AS customer, waiting, oldest ORDER BY oldest, id LIMIT 5",
  },
  {
    title: "suppliers behind orders from Lisbon (4 hops)",
    query:
      "MATCH (:City {name: 'Lisbon'})<-[:LIVES_IN]-(:Customer)-[:PLACED]->(:Order)-[:CONTAINS]->(:Product)" +
      "-[:SUPPLIED_BY]->(s:Supplier) WITH s, count(*) AS lines " +
      "RETURN id(s) AS id, s.name AS supplier, s.rating AS rating, s.preferred AS preferred, lines " +
      "ORDER BY lines DESC, id LIMIT 5",
  },
];

type Rows = Record<string, unknown>[];

export async function ask(client: NeptunedataClient, query: DemoQuery): Promise<Rows> {
  const answer = await client.send(
    new ExecuteOpenCypherQueryCommand({
      openCypherQuery: query.query,
      ...(query.parameters ? { parameters: JSON.stringify(query.parameters) } : {}),
    }),
  );
  return (answer.results as Rows | undefined) ?? [];
}

const cell = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const rowText = (row: Record<string, unknown> | undefined) =>
  row === undefined ? "(no row)" : Object.values(row).map(cell).join(" · ");

/**
 * The same query on both graphs, its rows side by side (`≠` marks a row that differs); whether the answers are
 * the same, row for row and value for value.
 */
export async function sideBySide(
  a: NeptunedataClient,
  b: NeptunedataClient,
  query: DemoQuery,
  headings: [string, string],
  write: (line: string) => void,
): Promise<boolean> {
  const [rowsA, rowsB] = [await ask(a, query), await ask(b, query)];
  const textA = rowsA.map(rowText);
  const textB = rowsB.map(rowText);
  const width = Math.max(headings[0].length, ...textA.map((text) => text.length)) + 4;
  write(`    ${query.title}`);
  write(`      ${headings[0].padEnd(width)}${headings[1]}`);
  for (let index = 0; index < Math.max(rowsA.length, rowsB.length); index++) {
    const same = JSON.stringify(rowsA[index]) === JSON.stringify(rowsB[index]);
    write(`    ${same ? " " : "≠"} ${(textA[index] ?? "(no row)").padEnd(width)}${textB[index] ?? "(no row)"}`);
  }
  return JSON.stringify(rowsA) === JSON.stringify(rowsB);
}
