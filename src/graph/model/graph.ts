import { GraphErrors } from "../errors.js";
import type { Change } from "../storage/changes.js";
import { appended } from "./arrays.js";
import { ElementMap } from "./element-map.js";
import { newElementId } from "./ids.js";
import type { Properties } from "./properties.js";
import { PropertyIndex } from "./property-index.js";
import { Node, Relationship, type PropertyValue } from "./values.js";

/**
 * Neptune's property graph: nodes with one or more labels, relationships with one type, string ids (given, or
 * generated UUID-like as Neptune does), and typed properties. Indexes: id → element, label → nodes, and
 * (label, property, value) → nodes, so that the executor's lookups never scan; each node carries its adjacency.
 *
 * Every change goes through this class, which records its inverse while a transaction is open: a failing query
 * is rolled back by replaying the undo log backwards, so it leaves the graph as it found it, down to the order of
 * its elements (the id maps keep a deleted element's slot until the commit: element-map.ts). One writer at a time
 * holds because a query runs to completion synchronously (the engine never yields mid-query).
 *
 * Change capture: when `onCommit` is set, a transaction also keeps its redo records (storage/changes.ts) and
 * hands them to `onCommit` before it commits; if that throws, the transaction is rolled back like a failing
 * query. Without a listener nothing is recorded (an engine on its own pays nothing for it).
 */
export class PropertyGraph {
  readonly nodes = new ElementMap<Node>();
  readonly relationships = new ElementMap<Relationship>();
  readonly #byLabel = new Map<string, Set<Node>>();
  readonly #byProperty = new PropertyIndex((label) => this.#byLabel.get(label) ?? []);
  #undo: (() => void)[] | undefined;
  #redo: Change[] | undefined;
  /** Told the changes of each transaction that changed something, as it commits (the cluster's durable log). */
  onCommit: ((changes: Change[]) => void) | undefined;
  readonly #labelSets = new Map<string, readonly string[]>();
  /** The elements a rollback put back at the end of their id map (their slot was taken): moved to their places. */
  readonly #moved = { nodes: [] as Node[], relationships: [] as Relationship[] };

  constructor(readonly newId: () => string = newElementId) {}

  // ── reads ──────────────────────────────────────────────────────────────────────────────────────────────

  nodesWithLabel(label: string): Iterable<Node> {
    return this.#byLabel.get(label) ?? [];
  }

  /** The nodes with `label` whose property `key` equals `value` (openCypher equality). */
  nodesWithProperty(label: string, key: string, value: PropertyValue): Iterable<Node> {
    return this.#byProperty.find(label, key, value);
  }

  /** How many nodes carry `label` (for the planner's choice of a starting point). */
  labelCount(label: string): number {
    return this.#byLabel.get(label)?.size ?? 0;
  }

  labels(): Iterable<string> {
    return this.#byLabel.keys();
  }

  // ── transactions ───────────────────────────────────────────────────────────────────────────────────────

  /** Runs `work` atomically: if it throws, every change it made is undone and the error is rethrown. */
  atomically<T>(work: () => T): T {
    if (this.#undo) return work();
    const undo: (() => void)[] = [];
    const redo: Change[] | undefined = this.onCommit ? [] : undefined;
    this.#begin(undo, redo);
    try {
      const result = work();
      if (redo && redo.length > 0) this.onCommit?.(redo);
      this.nodes.commit();
      this.relationships.commit();
      return result;
    } catch (error) {
      this.#rollBack(undo);
      throw error;
    } finally {
      this.#undo = undefined;
      this.#redo = undefined;
    }
  }

  /**
   * Runs `work` as a transaction that is always undone, and answers what it returned with the changes it made (a
   * Gremlin session's transaction: kept aside across requests, replayed and committed at its end). Not nested.
   */
  tentatively<T>(work: () => T): { result: T; changes: Change[] } {
    if (this.#undo) throw new Error("tentatively() runs a transaction of its own, not inside one");
    const undo: (() => void)[] = [];
    const redo: Change[] = [];
    this.#begin(undo, redo);
    try {
      return { result: work(), changes: redo };
    } finally {
      this.#rollBack(undo);
      this.#undo = undefined;
      this.#redo = undefined;
    }
  }

  #record(inverse: () => void): void {
    this.#undo?.push(inverse);
  }

  #begin(undo: (() => void)[], redo: Change[] | undefined): void {
    this.#undo = undo;
    this.#redo = redo;
    this.nodes.begin();
    this.relationships.begin();
  }

  /** Replays the undo log backwards; the id maps then show the elements it deleted where they were. */
  #rollBack(undo: (() => void)[]): void {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
    const { nodes, relationships } = this.#moved;
    this.nodes.rolledBack(nodes);
    this.relationships.rolledBack(relationships);
    nodes.length = 0;
    relationships.length = 0;
  }

  /** Whether changes are being recorded (outside a transaction, as when loading, no undo closure is made). */
  get #recording(): boolean {
    return this.#undo !== undefined;
  }

  // ── writes ─────────────────────────────────────────────────────────────────────────────────────────────

  addNode(id: string | undefined, labels: Iterable<string>, properties: Properties): Node {
    const nodeId = id ?? this.newId();
    if (this.nodes.has(nodeId)) throw GraphErrors.constraint(`Node with id '${nodeId}' already exists`);
    const node = new Node(nodeId, this.#interned([...new Set(labels)]), properties);
    this.#attachNode(node);
    if (this.#recording) this.#record(() => this.#detachNode(node, false));
    this.#redo?.push({ op: "addNode", id: nodeId, labels: [...node.labels], properties: [...node.properties] });
    return node;
  }

  addRelationship(id: string | undefined, type: string, start: Node, end: Node, properties: Properties): Relationship {
    const relId = id ?? this.newId();
    if (this.relationships.has(relId)) throw GraphErrors.constraint(`Relationship with id '${relId}' already exists`);
    const rel = new Relationship(relId, type, start, end, properties);
    this.#attachRelationship(rel);
    if (this.#recording) this.#record(() => this.#detachRelationship(rel, false));
    this.#redo?.push({
      op: "addRelationship",
      id: relId,
      type,
      start: start.id,
      end: end.id,
      properties: [...rel.properties],
    });
    return rel;
  }

  /**
   * Adds relationships in bulk, outside any transaction (reading the stored form). The loader names each one's
   * ends by their place in `nodes` (`ends[2i]` the start of `rels[i]`, `ends[2i + 1]` its end), so that every
   * adjacency list is counted with plain arrays and allocated once at its final size: added one at a time, a
   * short list is copied at every addition, and counting per Node in a Map costs more than the lists. For a
   * graph being loaded: after a failure (a duplicate id) it is not usable.
   */
  loadRelationships(nodes: readonly Node[], rels: readonly Relationship[], ends: Int32Array): void {
    if (this.#recording) throw new Error("loadRelationships loads a graph: it is not for a transaction");
    const outCount = new Int32Array(nodes.length);
    const inCount = new Int32Array(nodes.length);
    rels.forEach((rel, i) => {
      if (rel.start !== nodes[ends[2 * i]!] || rel.end !== nodes[ends[2 * i + 1]!]) {
        throw new Error(`loadRelationships: the ends of '${rel.id}' are not where \`ends\` says`);
      }
      // One Map operation, not has() then set(): a duplicate id (corrupt input) is seen by the size not growing.
      if (!this.relationships.addNew(rel)) {
        throw GraphErrors.constraint(`Relationship with id '${rel.id}' already exists`);
      }
      outCount[ends[2 * i]!]!++;
      inCount[ends[2 * i + 1]!]!++;
    });
    // Each list at its final size; the counts then say where a node's next relationship goes.
    const allocate = (counts: Int32Array, side: "out" | "in") => {
      nodes.forEach((node, n) => {
        if (counts[n] === 0) return;
        const before = node[side];
        const list = new Array<Relationship>(before.length + counts[n]!);
        for (let i = 0; i < before.length; i++) list[i] = before[i]!;
        node[side] = list;
        counts[n] = before.length;
      });
    };
    allocate(outCount, "out");
    allocate(inCount, "in");
    rels.forEach((rel, i) => {
      rel.start.out[outCount[ends[2 * i]!]!++] = rel;
      rel.end.in[inCount[ends[2 * i + 1]!]!++] = rel;
    });
  }

  /** Sets (or, with undefined, removes) one property of a node or relationship. */
  setProperty(element: Node | Relationship, key: string, value: PropertyValue | undefined): void {
    const before = element.properties.get(key);
    if (before === undefined && value === undefined) return;
    const position = element.properties.position(key);
    this.#writeProperty(element, key, value);
    this.#record(() => this.#writeProperty(element, key, before, position));
    if (this.#redo) {
      const on = element instanceof Node ? "node" : "relationship";
      const was = before === undefined ? {} : { was: before };
      this.#redo.push(
        value === undefined
          ? { op: "removeProperty", on, id: element.id, key, ...was }
          : { op: "setProperty", on, id: element.id, key, value, ...was },
      );
    }
  }

  addLabel(node: Node, label: string): void {
    if (node.labels.includes(label)) return;
    this.#changeLabels(node, [...node.labels, label]);
    this.#redo?.push({ op: "addLabel", id: node.id, label });
  }

  removeLabel(node: Node, label: string): void {
    if (!node.labels.includes(label)) return;
    this.#changeLabels(
      node,
      node.labels.filter((l) => l !== label),
    );
    this.#redo?.push({ op: "removeLabel", id: node.id, label });
  }

  #changeLabels(node: Node, labels: string[]): void {
    const before = node.labels;
    this.#writeLabels(node, this.#interned(labels));
    this.#record(() => this.#writeLabels(node, before));
  }

  /**
   * One shared, frozen array per combination of labels: most nodes of a graph have the same few, and an array
   * per node would cost more than the node itself.
   */
  #interned(labels: string[]): readonly string[] {
    const key = labels.join("\u0000");
    let shared = this.#labelSets.get(key);
    if (!shared) this.#labelSets.set(key, (shared = Object.freeze(labels)));
    return shared;
  }

  deleteRelationship(rel: Relationship): void {
    if (rel.deleted) return;
    const places = [rel.start.out.lastIndexOf(rel), rel.end.in.lastIndexOf(rel)] as const;
    this.#detachRelationship(rel, this.#recording);
    this.#record(() => this.#reattachRelationship(rel, places));
    this.#redo?.push({
      op: "removeRelationship",
      id: rel.id,
      was: { type: rel.type, start: rel.start.id, end: rel.end.id, properties: [...rel.properties] },
    });
  }

  /**
   * Deletes a node. Its relationships are the caller's affair: DELETE checks at the end of the query that none
   * is left (a query may delete a node before the relationships it matched with it).
   */
  deleteNode(node: Node): void {
    if (node.deleted) return;
    this.#detachNode(node, this.#recording);
    this.#record(() => this.#reattachNode(node));
    this.#redo?.push({ op: "removeNode", id: node.id, was: { labels: node.labels, properties: [...node.properties] } });
  }

  // ── the index keeping, without undo ────────────────────────────────────────────────────────────────────

  #attachNode(node: Node): void {
    node.deleted = false;
    this.nodes.add(node);
    for (const label of node.labels) this.#indexLabel(node, label, true);
  }

  /** Undoes a deletion: the node is shown again in its slot (or moved to its place at the rollback's end). */
  #reattachNode(node: Node): void {
    node.deleted = false;
    if (!this.nodes.show(node)) this.#moved.nodes.push(node);
    for (const label of node.labels) this.#indexLabel(node, label, true);
  }

  /** Deletes a node; `keepSlot` in a transaction (deleted by a query), not when undoing its creation. */
  #detachNode(node: Node, keepSlot: boolean): void {
    node.deleted = true;
    if (keepSlot) this.nodes.hide(node);
    else this.nodes.remove(node);
    for (const label of node.labels) this.#indexLabel(node, label, false);
  }

  #attachRelationship(rel: Relationship): void {
    rel.deleted = false;
    this.relationships.add(rel);
    rel.start.out = appended(rel.start.out, rel);
    rel.end.in = appended(rel.end.in, rel);
  }

  /** Undoes a deletion: back in its slot, and at its places in its ends' adjacency lists. */
  #reattachRelationship(rel: Relationship, places: readonly [number, number]): void {
    rel.deleted = false;
    if (!this.relationships.show(rel)) this.#moved.relationships.push(rel);
    rel.start.out.splice(places[0], 0, rel);
    rel.end.in.splice(places[1], 0, rel);
  }

  /** Deletes a relationship; `keepSlot` as for #detachNode. */
  #detachRelationship(rel: Relationship, keepSlot: boolean): void {
    rel.deleted = true;
    if (keepSlot) this.relationships.hide(rel);
    else this.relationships.remove(rel);
    removeFrom(rel.start.out, rel);
    removeFrom(rel.end.in, rel);
  }

  #writeLabels(node: Node, labels: readonly string[]): void {
    const before = node.labels;
    node.labels = labels;
    if (node.deleted) return;
    for (const label of before) if (!labels.includes(label)) this.#indexLabel(node, label, false);
    for (const label of labels) if (!before.includes(label)) this.#indexLabel(node, label, true);
  }

  #writeProperty(element: Node | Relationship, key: string, value: PropertyValue | undefined, position = -1): void {
    const indexed = element instanceof Node && !element.deleted;
    const before = element.properties.get(key);
    if (indexed && before !== undefined) {
      for (const label of element.labels) this.#byProperty.property(element, label, key, before, false);
    }
    if (value === undefined) element.properties.delete(key);
    else if (before === undefined && position >= 0) element.properties.insert(position, key, value);
    else element.properties.set(key, value);
    if (indexed && value !== undefined) {
      for (const label of element.labels) this.#byProperty.property(element, label, key, value, true);
    }
  }

  #indexLabel(node: Node, label: string, present: boolean): void {
    let nodes = this.#byLabel.get(label);
    if (present) {
      if (!nodes) this.#byLabel.set(label, (nodes = new Set()));
      nodes.add(node);
    } else if (nodes) {
      nodes.delete(node);
      if (nodes.size === 0) this.#byLabel.delete(label);
    }
    this.#byProperty.label(node, label, present);
  }
}

/** Removes one element from an adjacency list (its order is kept: results stay in creation order). */
function removeFrom(list: Relationship[], rel: Relationship): void {
  const at = list.lastIndexOf(rel);
  if (at >= 0) list.splice(at, 1);
}
