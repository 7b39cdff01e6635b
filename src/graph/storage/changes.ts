import { PropertyGraph } from "../model/graph.js";
import { Properties } from "../model/properties.js";
import type { Node, PropertyValue, Relationship } from "../model/values.js";
import { ByteReader, ByteWriter, CorruptGraphError } from "./bytes.js";
import { readValue, writeValue } from "./serialize.js";

/**
 * The redo records of a committed transaction: what it changed, in order, complete enough to replay it on the
 * graph as it was before (the durable log of a cluster, point-in-time restore) and to tell Neptune Streams what
 * was removed. Elements are named by id; properties carry their full value (64-bit integers exact).
 *
 * `was` is what a change removed or replaced, as the transaction saw it (a removed node's labels and properties, a
 * removed relationship whole, a property's value before): Neptune Streams logs a removal with the values removed
 * (domain/neptune/data-plane/streams-records.ts). It is recorded in memory as the transaction runs and not stored in
 * the log, which replays without it: a decoded change has none.
 */
export type Change =
  | { op: "addNode"; id: string; labels: string[]; properties: [string, PropertyValue][] }
  | { op: "removeNode"; id: string; was?: { labels: readonly string[]; properties: [string, PropertyValue][] } }
  | { op: "addLabel"; id: string; label: string }
  | { op: "removeLabel"; id: string; label: string }
  | { op: "setProperty"; on: ElementKind; id: string; key: string; value: PropertyValue; was?: PropertyValue }
  | { op: "removeProperty"; on: ElementKind; id: string; key: string; was?: PropertyValue }
  | {
      op: "addRelationship";
      id: string;
      type: string;
      start: string;
      end: string;
      properties: [string, PropertyValue][];
    }
  | {
      op: "removeRelationship";
      id: string;
      was?: { type: string; start: string; end: string; properties: [string, PropertyValue][] };
    };

export type ElementKind = "node" | "relationship";

/**
 *   "TCHG" u8(version=1) varint count, { u8 op, fields… }…
 * Strings are length-prefixed UTF-8, values as in the stored graph (serialize.ts).
 */
const MAGIC = Buffer.from("TCHG", "latin1");
const VERSION = 1;
const OPS = [
  "addNode",
  "removeNode",
  "addLabel",
  "removeLabel",
  "setProperty",
  "removeProperty",
  "addRelationship",
  "removeRelationship",
] as const;
const ON: readonly ElementKind[] = ["node", "relationship"];

export function encodeChanges(changes: readonly Change[]): Buffer {
  const w = new ByteWriter(256 + changes.length * 48);
  w.bytes(MAGIC);
  w.u8(VERSION);
  w.varint(changes.length);
  for (const change of changes) {
    w.u8(OPS.indexOf(change.op));
    w.string(change.id);
    switch (change.op) {
      case "addNode":
        w.varint(change.labels.length);
        for (const label of change.labels) w.string(label);
        writeEntries(w, change.properties);
        break;
      case "addLabel":
      case "removeLabel":
        w.string(change.label);
        break;
      case "setProperty":
        w.u8(ON.indexOf(change.on));
        w.string(change.key);
        writeValue(w, change.value);
        break;
      case "removeProperty":
        w.u8(ON.indexOf(change.on));
        w.string(change.key);
        break;
      case "addRelationship":
        w.string(change.type);
        w.string(change.start);
        w.string(change.end);
        writeEntries(w, change.properties);
        break;
    }
  }
  return w.finish();
}

export function decodeChanges(data: Buffer): Change[] {
  const r = new ByteReader(data);
  if (!r.bytes(MAGIC.length).equals(MAGIC)) throw new CorruptGraphError("not a change record");
  const version = r.u8();
  if (version !== VERSION) throw new CorruptGraphError(`unknown change record version ${version}`);
  const changes: Change[] = [];
  for (let n = r.varint(); n > 0; n--) {
    const op = OPS[r.u8()];
    const id = r.string();
    switch (op) {
      case "addNode": {
        const labels: string[] = [];
        for (let i = r.varint(); i > 0; i--) labels.push(r.string());
        changes.push({ op, id, labels, properties: readEntries(r) });
        break;
      }
      case "removeNode":
      case "removeRelationship":
        changes.push({ op, id });
        break;
      case "addLabel":
      case "removeLabel":
        changes.push({ op, id, label: r.string() });
        break;
      case "setProperty":
        changes.push({ op, on: kind(r), id, key: r.string(), value: readValue(r) });
        break;
      case "removeProperty":
        changes.push({ op, on: kind(r), id, key: r.string() });
        break;
      case "addRelationship":
        changes.push({ op, id, type: r.string(), start: r.string(), end: r.string(), properties: readEntries(r) });
        break;
      default:
        throw new CorruptGraphError("unknown change");
    }
  }
  if (!r.done) throw new CorruptGraphError("trailing bytes after the changes");
  return changes;
}

function kind(r: ByteReader): ElementKind {
  const on = ON[r.u8()];
  if (!on) throw new CorruptGraphError("unknown element kind");
  return on;
}

function writeEntries(w: ByteWriter, entries: [string, PropertyValue][]): void {
  w.varint(entries.length);
  for (const [key, value] of entries) {
    w.string(key);
    writeValue(w, value);
  }
}

function readEntries(r: ByteReader): [string, PropertyValue][] {
  const entries: [string, PropertyValue][] = [];
  for (let i = r.varint(); i > 0; i--) entries.push([r.string(), readValue(r)]);
  return entries;
}

/**
 * Replays committed changes on a graph (outside any transaction: nothing to undo). The graph must be the one
 * they were made on, as it was before them: a change that names a missing element means it is not.
 */
export function applyChanges(graph: PropertyGraph, changes: readonly Change[]): void {
  const node = (id: string): Node => graph.nodes.get(id) ?? missing("node", id);
  const element = (on: ElementKind, id: string): Node | Relationship =>
    on === "node" ? node(id) : (graph.relationships.get(id) ?? missing(on, id));
  for (const change of changes) {
    switch (change.op) {
      case "addNode":
        graph.addNode(change.id, change.labels, new Properties(change.properties));
        break;
      case "removeNode":
        graph.deleteNode(node(change.id));
        break;
      case "addLabel":
        graph.addLabel(node(change.id), change.label);
        break;
      case "removeLabel":
        graph.removeLabel(node(change.id), change.label);
        break;
      case "setProperty":
        graph.setProperty(element(change.on, change.id), change.key, change.value);
        break;
      case "removeProperty":
        graph.setProperty(element(change.on, change.id), change.key, undefined);
        break;
      case "addRelationship":
        graph.addRelationship(
          change.id,
          change.type,
          node(change.start),
          node(change.end),
          new Properties(change.properties),
        );
        break;
      case "removeRelationship":
        graph.deleteRelationship(graph.relationships.get(change.id) ?? missing("relationship", change.id));
        break;
    }
  }
}

function missing(kind: ElementKind, id: string): never {
  throw new CorruptGraphError(`a change names ${kind} '${id}', which the graph does not hold`);
}
