import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { seededRandom, type SeededRandom } from "../util/random.js";

/**
 * The demo's graph: a small online shop, the kind of data an `orders-graph` cluster holds. Customers in cities
 * place orders that contain products, each in a category and from a supplier. Several labels, typed properties
 * (strings, integers, doubles, booleans, datetimes) and a few hundred nodes and relationships; generated from a
 * fixed seed, so every run loads the same graph and prints the same answers.
 */

export const DEMO_GRAPH_SEED = 20_261_129;

/** Rows per ExecuteOpenCypherQuery: one parameterized UNWIND per batch, as applications load data. */
const BATCH_ROWS = 100;

type Row = Record<string, string | number | boolean>;

/** One kind of element to create: nodes of a label or relationships of a type, its openCypher (over `$rows`), its rows. */
interface Batchable {
  kind: "nodes" | "relationships";
  name: string;
  query: string;
  rows: Row[];
}

const CATEGORIES = ["Books", "Garden", "Games", "Kitchen", "Music", "Outdoor", "Sports", "Tools"];
const CITIES: [string, string, number][] = [
  ["Lisbon", "PT", 545_000],
  ["Porto", "PT", 232_000],
  ["Madrid", "ES", 3_280_000],
  ["Seville", "ES", 684_000],
  ["Lyon", "FR", 522_000],
  ["Nantes", "FR", 320_000],
  ["Turin", "IT", 848_000],
  ["Bologna", "IT", 390_000],
  ["Ghent", "BE", 265_000],
  ["Utrecht", "NL", 361_000],
  ["Leipzig", "DE", 616_000],
  ["Graz", "AT", 291_000],
];
const FIRST = ["Ana", "Bruno", "Clara", "David", "Elena", "Filipe", "Greta", "Hugo", "Ines", "Jonas", "Lea", "Marco"];
const LAST = ["Almeida", "Berger", "Costa", "Dubois", "Esposito", "Fischer", "Garcia", "Huber", "Janssens", "Klein"];
const ADJECTIVES = ["Compact", "Classic", "Deluxe", "Eco", "Foldable", "Heavy", "Light", "Smart", "Travel", "Vintage"];
const NOUNS = ["Lamp", "Kettle", "Board", "Racket", "Shears", "Speaker", "Tent", "Drill", "Novel", "Puzzle", "Bottle"];
const CHANNELS = ["web", "mobile", "store"];

export const DEMO_GRAPH_SIZE = { suppliers: 20, products: 120, customers: 150, orders: 400 };

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const cents = (x: number) => Math.round(x * 100) / 100;
const day = 86_400_000;
/** A datetime between `from` and `from + days`, whole seconds, ISO-8601 UTC. */
const dateIn = (random: SeededRandom, from: string, days: number) =>
  new Date(Date.parse(from) + Math.floor((random.next() * days * day) / 1000) * 1000).toISOString();

/** The graph's elements, in loading order (nodes before the relationships that join them). */
export function demoGraph(seed = DEMO_GRAPH_SEED): Batchable[] {
  const random = seededRandom(seed);
  const size = DEMO_GRAPH_SIZE;
  const categories = CATEGORIES.map((name, index) => ({ id: `category-${pad(index + 1, 2)}`, name }));
  const cities = CITIES.map(([name, country, population], index) => ({
    id: `city-${pad(index + 1, 2)}`,
    name,
    country,
    population,
  }));
  const suppliers = Array.from({ length: size.suppliers }, (_, index) => ({
    id: `supplier-${pad(index + 1, 2)}`,
    name: `${random.pick(LAST)} ${random.pick(["Trading", "Works", "& Sons", "Supply"])}`,
    country: random.pick(CITIES)[1],
    rating: cents(2.5 + random.next() * 2.5),
    preferred: random.chance(0.3),
  }));
  const products = Array.from({ length: size.products }, (_, index) => ({
    node: {
      id: `product-${pad(index + 1, 3)}`,
      sku: `SKU-${pad(1000 + index * 7, 5)}`,
      name: `${random.pick(ADJECTIVES)} ${random.pick(NOUNS)} ${index + 1}`,
      price: cents(4.99 + random.next() * 195),
      stock: random.int(500),
      active: random.chance(0.9),
      launchedAt: dateIn(random, "2023-01-01T00:00:00Z", 900),
    },
    category: random.pick(categories).id,
    supplier: random.pick(suppliers).id,
    leadDays: 1 + random.int(20),
  }));
  const customers = Array.from({ length: size.customers }, (_, index) => {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    return {
      node: {
        id: `customer-${pad(index + 1, 3)}`,
        name: `${first} ${last}`,
        email: `${first}.${last}.${index + 1}@example.com`.toLowerCase(),
        vip: random.chance(0.15),
        since: dateIn(random, "2020-01-01T00:00:00Z", 1800),
      },
      city: random.pick(cities).id,
    };
  });
  const orders = Array.from({ length: size.orders }, (_, index) => {
    const lines = Array.from({ length: 1 + random.int(4) }, () => ({
      product: random.pick(products),
      quantity: 1 + random.int(5),
    })).filter((line, at, all) => all.findIndex((other) => other.product === line.product) === at);
    return {
      id: `order-${pad(index + 1, 4)}`,
      number: `SO-${pad(26_000 + index, 6)}`,
      placedAt: dateIn(random, "2026-01-01T00:00:00Z", 300),
      delivered: random.chance(0.8),
      customer: random.pick(customers).node.id,
      channel: random.pick(CHANNELS),
      lines,
      total: cents(lines.reduce((sum, line) => sum + line.quantity * line.product.node.price, 0)),
    };
  });

  // Doubles go through toFloat: a whole-valued double in JSON parameters would arrive as an integer.
  return [
    {
      kind: "nodes",
      name: "Category",
      query: "UNWIND $rows AS row CREATE (:Category {`~id`: row.id, name: row.name})",
      rows: categories,
    },
    {
      kind: "nodes",
      name: "City",
      query:
        "UNWIND $rows AS row CREATE (:City {`~id`: row.id, name: row.name, country: row.country, population: row.population})",
      rows: cities,
    },
    {
      kind: "nodes",
      name: "Supplier",
      query:
        "UNWIND $rows AS row CREATE (:Supplier {`~id`: row.id, name: row.name, country: row.country, " +
        "rating: toFloat(row.rating), preferred: row.preferred})",
      rows: suppliers,
    },
    {
      kind: "nodes",
      name: "Product",
      query:
        "UNWIND $rows AS row CREATE (:Product {`~id`: row.id, sku: row.sku, name: row.name, price: toFloat(row.price), " +
        "stock: row.stock, active: row.active, launchedAt: datetime(row.launchedAt)})",
      rows: products.map((product) => product.node),
    },
    {
      kind: "nodes",
      name: "Customer",
      query:
        "UNWIND $rows AS row CREATE (:Customer {`~id`: row.id, name: row.name, email: row.email, vip: row.vip, " +
        "since: datetime(row.since)})",
      rows: customers.map((customer) => customer.node),
    },
    {
      kind: "nodes",
      name: "Order",
      query:
        "UNWIND $rows AS row CREATE (:Order {`~id`: row.id, number: row.number, placedAt: datetime(row.placedAt), " +
        "total: toFloat(row.total), items: row.items, delivered: row.delivered})",
      rows: orders.map((order) => ({
        id: order.id,
        number: order.number,
        placedAt: order.placedAt,
        total: order.total,
        items: order.lines.length,
        delivered: order.delivered,
      })),
    },
    {
      kind: "relationships",
      name: "IN_CATEGORY",
      query:
        "UNWIND $rows AS row MATCH (p:Product {`~id`: row.from}), (c:Category {`~id`: row.to}) CREATE (p)-[:IN_CATEGORY]->(c)",
      rows: products.map((product) => ({ from: product.node.id, to: product.category })),
    },
    {
      kind: "relationships",
      name: "SUPPLIED_BY",
      query:
        "UNWIND $rows AS row MATCH (p:Product {`~id`: row.from}), (s:Supplier {`~id`: row.to}) " +
        "CREATE (p)-[:SUPPLIED_BY {leadDays: row.leadDays}]->(s)",
      rows: products.map((product) => ({ from: product.node.id, to: product.supplier, leadDays: product.leadDays })),
    },
    {
      kind: "relationships",
      name: "LIVES_IN",
      query:
        "UNWIND $rows AS row MATCH (c:Customer {`~id`: row.from}), (city:City {`~id`: row.to}) CREATE (c)-[:LIVES_IN]->(city)",
      rows: customers.map((customer) => ({ from: customer.node.id, to: customer.city })),
    },
    {
      kind: "relationships",
      name: "PLACED",
      query:
        "UNWIND $rows AS row MATCH (c:Customer {`~id`: row.from}), (o:Order {`~id`: row.to}) " +
        "CREATE (c)-[:PLACED {channel: row.channel}]->(o)",
      rows: orders.map((order) => ({ from: order.customer, to: order.id, channel: order.channel })),
    },
    {
      kind: "relationships",
      name: "CONTAINS",
      query:
        "UNWIND $rows AS row MATCH (o:Order {`~id`: row.from}), (p:Product {`~id`: row.to}) " +
        "CREATE (o)-[:CONTAINS {quantity: row.quantity, unitPrice: toFloat(row.unitPrice)}]->(p)",
      rows: orders.flatMap((order) =>
        order.lines.map((line) => ({
          from: order.id,
          to: line.product.node.id,
          quantity: line.quantity,
          unitPrice: line.product.node.price,
        })),
      ),
    },
  ];
}

export interface LoadReport {
  nodes: number;
  relationships: number;
  labels: string[];
  types: string[];
  requests: number;
}

/** Loads the graph through openCypher (ExecuteOpenCypherQuery), in parameterized UNWIND batches. */
export async function loadDemoGraph(client: NeptunedataClient, seed = DEMO_GRAPH_SEED): Promise<LoadReport> {
  const report: LoadReport = { nodes: 0, relationships: 0, labels: [], types: [], requests: 0 };
  for (const { kind, name, query, rows } of demoGraph(seed)) {
    for (let start = 0; start < rows.length; start += BATCH_ROWS) {
      await client.send(
        new ExecuteOpenCypherQueryCommand({
          openCypherQuery: query,
          parameters: JSON.stringify({ rows: rows.slice(start, start + BATCH_ROWS) }),
        }),
      );
      report.requests++;
    }
    report[kind] += rows.length;
    (kind === "nodes" ? report.labels : report.types).push(name);
  }
  return report;
}
