import { PropertyGraph } from "../model/graph.js";
import { Properties } from "../model/properties.js";
import { integer, Relationship, type Node, type PropertyValue } from "../model/values.js";
import { ByteReader, ByteWriter, CorruptGraphError } from "./bytes.js";

/**
 * The graph's stored form: one compact binary blob per graph (the decision and its reasons: ../README.md).
 *
 *   "TGRF" u8(version=1)
 *   names:         varint count, string…               (every label, type and property key, once)
 *   nodes:         varint count, { string id, varint labels, name#…, properties }…
 *   relationships: varint count, { string id, name# type, varint start node#, varint end node#, properties }…
 *   properties:    varint count, { name# key, value }…
 *   value:         tag u8, then: 0 false | 1 true | 2 i64 | 3 i32 | 4 f64 | 5 string | 6 datetime f64 ms | 7 list
 *
 * Relationships name their ends by the nodes' order in the blob, not by their ids, and names are interned:
 * 200,000 nodes and 1,000,000 relationships cost little more than their ids.
 */
const MAGIC = Buffer.from("TGRF", "latin1");
const VERSION = 1;

const enum Tag {
  False = 0,
  True = 1,
  Int64 = 2,
  Int32 = 3,
  Float = 4,
  String = 5,
  DateTime = 6,
  List = 7,
}

export function serialize(graph: PropertyGraph): Buffer {
  const names = collectNames(graph);
  const name = (s: string) => names.get(s)!;
  // Sized for the usual element up front: growing a large buffer copies it and makes V8 collect for nothing.
  const body = new ByteWriter(64 * (graph.nodes.size + graph.relationships.size) + 1024);
  body.bytes(MAGIC);
  body.u8(VERSION);
  body.varint(names.size);
  for (const s of names.keys()) body.string(s);
  const ordinals = new Map<Node, number>();
  body.varint(graph.nodes.size);
  for (const node of graph.nodes.values()) {
    ordinals.set(node, ordinals.size);
    body.string(node.id);
    body.varint(node.labels.length);
    for (const label of node.labels) body.varint(name(label));
    writeProperties(body, node.properties, name);
  }
  body.varint(graph.relationships.size);
  for (const rel of graph.relationships.values()) {
    body.string(rel.id);
    body.varint(name(rel.type));
    body.varint(ordinals.get(rel.start)!);
    body.varint(ordinals.get(rel.end)!);
    writeProperties(body, rel.properties, name);
  }
  return body.finish();
}

/** Every label, type and property key, numbered in order of first appearance. */
function collectNames(graph: PropertyGraph): Map<string, number> {
  const names = new Map<string, number>();
  const add = (s: string) => {
    if (!names.has(s)) names.set(s, names.size);
  };
  const addKey = (_value: PropertyValue, key: string) => add(key);
  for (const node of graph.nodes.values()) {
    for (const label of node.labels) add(label);
    node.properties.forEach(addKey);
  }
  for (const rel of graph.relationships.values()) {
    add(rel.type);
    rel.properties.forEach(addKey);
  }
  return names;
}

export function deserialize(data: Buffer, newId?: () => string): PropertyGraph {
  const reader = new ByteReader(data);
  if (!reader.bytes(MAGIC.length).equals(MAGIC)) throw new CorruptGraphError("not a stored graph");
  const version = reader.u8();
  if (version !== VERSION) throw new CorruptGraphError(`unknown stored graph version ${version}`);
  const names: string[] = [];
  for (let i = reader.varint(); i > 0; i--) names.push(reader.string());
  const name = () => {
    const s = names[reader.varint()];
    if (s === undefined) throw new CorruptGraphError("name out of range");
    return s;
  };
  const graph = new PropertyGraph(newId);
  const nodes: Node[] = [];
  for (let i = reader.varint(); i > 0; i--) {
    const id = reader.string();
    const labels: string[] = [];
    for (let j = reader.varint(); j > 0; j--) labels.push(name());
    nodes.push(graph.addNode(id, labels, readProperties(reader, name)));
  }
  const ordinal = () => {
    const n = reader.varint();
    if (n >= nodes.length) throw new CorruptGraphError("node out of range");
    return n;
  };
  const relCount = reader.varint();
  const rels = new Array<Relationship>(relCount);
  const ends = new Int32Array(2 * relCount);
  for (let i = 0; i < relCount; i++) {
    const id = reader.string();
    const type = name();
    const start = (ends[2 * i] = ordinal());
    const end = (ends[2 * i + 1] = ordinal());
    rels[i] = new Relationship(id, type, nodes[start]!, nodes[end]!, readProperties(reader, name));
  }
  graph.loadRelationships(nodes, rels, ends);
  if (!reader.done) throw new CorruptGraphError("trailing bytes after the graph");
  return graph;
}

function writeProperties(w: ByteWriter, props: Properties, name: (s: string) => number): void {
  w.varint(props.size);
  props.forEach((value, key) => {
    w.varint(name(key));
    writeValue(w, value);
  });
}

/** One property value in the stored form (shared with the change records, changes.ts). */
export function writeValue(w: ByteWriter, v: PropertyValue): void {
  switch (typeof v) {
    case "boolean":
      return w.u8(v ? Tag.True : Tag.False);
    case "bigint":
      if (v >= -0x80000000n && v <= 0x7fffffffn) {
        w.u8(Tag.Int32);
        return w.i32(Number(v));
      }
      w.u8(Tag.Int64);
      return w.i64(v);
    case "number":
      w.u8(Tag.Float);
      return w.f64(v);
    case "string":
      w.u8(Tag.String);
      return w.string(v);
  }
  if (v instanceof Date) {
    w.u8(Tag.DateTime);
    return w.f64(v.getTime());
  }
  w.u8(Tag.List);
  w.varint(v.length);
  for (const item of v) writeValue(w, item);
}

function readProperties(r: ByteReader, name: () => string): Properties {
  const count = r.varint();
  if (count === 0) return new Properties();
  // One list at its final size: adding the keys one by one would allocate a list per key.
  const items = new Array<string | PropertyValue>(2 * count);
  for (let i = 0; i < items.length; i += 2) {
    items[i] = name();
    items[i + 1] = readValue(r);
  }
  return Properties.adopt(items);
}

/** The value `writeValue` wrote. */
export function readValue(r: ByteReader): PropertyValue {
  const tag = r.u8();
  switch (tag) {
    case Tag.False:
      return false;
    case Tag.True:
      return true;
    case Tag.Int64:
      return r.i64();
    case Tag.Int32:
      return integer(r.i32());
    case Tag.Float:
      return r.f64();
    case Tag.String:
      return r.string();
    case Tag.DateTime:
      return new Date(r.f64());
    case Tag.List: {
      const items: PropertyValue[] = [];
      for (let i = r.varint(); i > 0; i--) items.push(readValue(r));
      return items;
    }
    default:
      throw new CorruptGraphError(`unknown value tag ${tag}`);
  }
}
