import { ExecuteOpenCypherQueryCommand, type NeptunedataClient } from "@aws-sdk/client-neptunedata";
import { seededRandom, type SeededRandom } from "../util/random.js";

/**
 * A seeded random writer for live migrations (the demo's, the tests', the bench's): each write is one openCypher
 * request (one transaction) on the source cluster: nodes created with one or two labels and properties of every
 * type, relationships between its nodes, properties set and removed, labels added and removed, nodes deleted with
 * their relationships. The same seed makes the same writes; it touches only the elements it made (ids `PREFIX-…`).
 */

const LABELS = ["Visitor", "Session", "Device", "Event"];
const TYPES = ["OPENED", "USED", "FOLLOWS"];
const KEYS = ["name", "count", "ratio", "flag", "seen"];

export interface WriterRun {
  /** Stop after this many writes (default: until `stop()`). */
  maxWrites?: number;
  /** Writes per second (default: as fast as the cluster answers); paced with `sleep`. */
  ratePerSecond?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class SeededWriter {
  private readonly random: SeededRandom;
  private readonly nodes = new Map<string, Set<string>>();
  private readonly relationships: string[] = [];
  private next = 0;
  private stopped = false;
  /** Writes the source committed. */
  written = 0;

  constructor(
    private readonly client: NeptunedataClient,
    seed: number,
    private readonly prefix = "live",
  ) {
    this.random = seededRandom(seed);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Writes until stopped (or maxWrites); resolves with the number written. */
  async run(options: WriterRun = {}): Promise<number> {
    const now = options.now ?? Date.now;
    const started = now();
    while (!this.stopped && (options.maxWrites === undefined || this.written < options.maxWrites)) {
      await this.writeOne();
      if (options.ratePerSecond && options.sleep) {
        const due = started + (this.written * 1000) / options.ratePerSecond;
        const wait = due - now();
        if (wait > 0) await options.sleep(wait);
      } else {
        // Let the other work of the process (the migration) run between writes.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    return this.written;
  }

  /** One random write, one transaction. */
  async writeOne(): Promise<void> {
    const r = this.random;
    const ids = [...this.nodes.keys()];
    const roll = ids.length < 4 ? 0 : r.next();
    if (roll < 0.35) await this.createNode();
    else if (roll < 0.6) await this.relate(r.pick(ids), r.pick(ids));
    else if (roll < 0.75)
      await this.send(`MATCH (n {\`~id\`: $id}) SET n.\`${r.pick(KEYS)}\` = ${this.value()}`, {
        id: r.pick(ids),
        ...this.params,
      });
    else if (roll < 0.8) await this.send(`MATCH (n {\`~id\`: $id}) REMOVE n.\`${r.pick(KEYS)}\``, { id: r.pick(ids) });
    else if (roll < 0.86) await this.relabel(r.pick(ids));
    else if (roll < 0.9 && this.relationships.length > 0) {
      const id = this.relationships.splice(r.int(this.relationships.length), 1)[0]!;
      await this.send("MATCH ()-[x]->() WHERE id(x) = $id DELETE x", { id });
    } else {
      const id = r.pick(ids);
      this.nodes.delete(id);
      await this.send("MATCH (n {`~id`: $id}) DETACH DELETE n", { id });
    }
    this.written++;
  }

  private params: Record<string, unknown> = {};

  /** A random value of a random type as a query expression over `$v` (datetimes through datetime()). */
  private value(): string {
    const r = this.random;
    switch (r.int(5)) {
      case 0:
        this.params = { v: `text-${r.int(1000)}` };
        return "$v";
      case 1:
        this.params = { v: r.int(100_000) };
        return "$v";
      case 2:
        this.params = { v: r.int(10_000) / 7 + 0.5 };
        return "$v";
      case 3:
        this.params = { v: r.chance(0.5) };
        return "$v";
      default:
        this.params = { v: new Date(Date.UTC(2020, 0, 1) + r.int(1_000_000) * 60_000).toISOString() };
        return "datetime($v)";
    }
  }

  private async createNode(): Promise<void> {
    const r = this.random;
    const id = `${this.prefix}-n${this.next++}`;
    const labels = new Set([r.pick(LABELS)]);
    if (r.chance(0.3)) labels.add(r.pick(LABELS));
    const value = this.value();
    await this.send(
      `CREATE (n${[...labels].map((label) => `:${label}`).join("")} {\`~id\`: $id, name: $name, \`${r.pick(KEYS.slice(1))}\`: ${value}})`,
      { id, name: `${this.prefix} ${this.next}`, ...this.params },
    );
    this.nodes.set(id, labels);
  }

  private async relate(from: string, to: string): Promise<void> {
    const id = `${this.prefix}-r${this.next++}`;
    const value = this.value();
    await this.send(
      `MATCH (a {\`~id\`: $from}), (b {\`~id\`: $to}) CREATE (a)-[:${this.random.pick(TYPES)} {\`~id\`: $id, weight: ${value}}]->(b)`,
      { from, to, id, ...this.params },
    );
    this.relationships.push(id);
  }

  /** Adds a label, or removes one of a node's two (Neptune refuses to remove a node's last label). */
  private async relabel(id: string): Promise<void> {
    const labels = this.nodes.get(id)!;
    if (labels.size > 1) {
      const label = [...labels][this.random.int(labels.size)]!;
      labels.delete(label);
      await this.send(`MATCH (n {\`~id\`: $id}) REMOVE n:${label}`, { id });
    } else {
      const label = this.random.pick(LABELS);
      labels.add(label);
      await this.send(`MATCH (n {\`~id\`: $id}) SET n:${label}`, { id });
    }
  }

  private async send(query: string, parameters: Record<string, unknown>): Promise<void> {
    await this.client.send(
      new ExecuteOpenCypherQueryCommand({ openCypherQuery: query, parameters: JSON.stringify(parameters) }),
    );
  }
}
