import { CsvError, parse } from "csv-parse/sync";
import type { PropertyGraph } from "../model/graph.js";
import { Properties } from "../model/properties.js";
import { Node, type PropertyValue } from "../model/values.js";
import { LoadFieldError, splitArray, typedValue, type PropertyColumn } from "./columns.js";
import { DEFAULT_EDGE_LABEL, DEFAULT_VERTEX_LABEL, filePlan, type FilePlan, type LoadFormat } from "./formats.js";

/**
 * Neptune's bulk load of property-graph CSV files into a graph (reference §5): every vertex file before any edge
 * file (Neptune's vertex-first pass; `edgeOnlyLoad` off), each file's records in order. The caller runs it inside
 * one transaction of the graph; with `failOnError` the first bad record halts the load (`halted`), and the
 * caller rolls the transaction back. Without it, a bad record is counted, reported by its line, and skipped.
 */

export interface LoadFile {
  /** As the status documents name it (`fullUri`, `fileName`). */
  uri: string;
  text: string;
}

export interface LoadOptions {
  format: LoadFormat;
  failOnError: boolean;
  /** parserConfiguration.allowEmptyStrings: a quoted empty field is an empty string, else no value. */
  allowEmptyStrings: boolean;
  updateSingleCardinalityProperties: boolean;
  /** openCypher: relationship files carry `:ID` (true, the default) or get generated ids (false). */
  userProvidedEdgeIds: boolean;
  /** Throws once the load has filled the heap (MemoryLimitExceededException): the caller's transaction undoes it. */
  checkHeap?: () => void;
}

/** How many records pass between two looks at the heap (reading it costs more than a record). */
const RECORDS_PER_HEAP_CHECK = 1024;

/** Neptune's per-feed status counters (`overallStatus` / `failedFeeds` members, reference §5.2). */
export interface FeedCounts {
  totalRecords: number;
  totalDuplicates: number;
  parsingErrors: number;
  datatypeMismatchErrors: number;
  insertErrors: number;
}

export interface FeedResult extends FeedCounts {
  fullUri: string;
  status: string;
}

/** One entry of `errors.errorLogs`: `recordNum` is the record's line in its file (the header is line 1). */
export interface ErrorLog {
  errorCode: "PARSING_ERROR" | "FROM_OR_TO_VERTEX_ARE_MISSING" | "INSERT_ERROR";
  errorMessage: string;
  fileName: string;
  recordNum: number;
}

export interface LoadResult {
  feeds: FeedResult[];
  /** The first MAX_ERROR_LOGS errors (Neptune keeps the last 10,000 error details per job, reference §5.2). */
  errors: ErrorLog[];
  halted: boolean;
}

export const MAX_ERROR_LOGS = 10_000;

/** A field's text; null for a blank field when a quoted empty one is told apart (`allowEmptyStrings`). */
type Field = string | null;

interface ParsedFile {
  uri: string;
  /** undefined when the header itself could not be used (the whole file is one parsing error). */
  plan: FilePlan | undefined;
  records: { fields: Field[]; line: number }[];
  problems: ErrorLog[];
}

/** A record the loader refuses: a parsing error (bad fields) or an insert error (the graph refuses it). */
class RecordError extends Error {
  constructor(
    readonly code: ErrorLog["errorCode"],
    message: string,
  ) {
    super(message);
  }
}

/**
 * A blank field is no value; a quoted empty one (`""`) is an empty string with `allowEmptyStrings`, else no
 * value either (reference §5.3).
 */
function parseFile(file: LoadFile, options: LoadOptions): ParsedFile {
  const problems: ErrorLog[] = [];
  const problem = (errorMessage: string, recordNum: number): ErrorLog => ({
    errorCode: "PARSING_ERROR",
    errorMessage,
    fileName: file.uri,
    recordNum,
  });
  let rows: { record: Field[]; info: { lines: number } }[];
  try {
    rows = parseCsv(file.text, options.allowEmptyStrings, (error) =>
      problems.push(problem(error?.message ?? "The record is not valid CSV.", Number(error?.["lines"] ?? 0))),
    );
  } catch (error) {
    // What the parser cannot skip past (it stops there): the file is one parsing error.
    if (!(error instanceof CsvError)) throw error;
    return {
      uri: file.uri,
      plan: undefined,
      records: [],
      problems: [problem(error.message, Number(error["lines"] ?? 0))],
    };
  }
  const [header, ...body] = rows;
  const records = body.map((row) => ({ fields: row.record, line: row.info.lines }));
  if (!header) return { uri: file.uri, plan: undefined, records: [], problems };
  try {
    return { uri: file.uri, plan: filePlan(options.format, header.record), records, problems };
  } catch (error) {
    if (!(error instanceof LoadFieldError)) throw error;
    return { uri: file.uri, plan: undefined, records: [], problems: [problem(error.message, header.info.lines)] };
  }
}

/** RFC 4180 records with their line numbers; a record the parser cannot read is skipped and told to `skipped`. */
function parseCsv(text: string, allowEmptyStrings: boolean, skipped: (error: CsvError | undefined) => void) {
  return parse(text, {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    bom: true,
    // Only then does a quoted empty field differ from a blank one, and a cast costs a context object per field.
    ...(allowEmptyStrings && {
      cast: (value: string, context: { quoting: boolean }) => (value === "" && !context.quoting ? null : value),
    }),
    on_skip: (error) => {
      skipped(error);
      return undefined;
    },
  }) as unknown as { record: Field[]; info: { lines: number } }[];
}

export function bulkLoad(graph: PropertyGraph, files: readonly LoadFile[], options: LoadOptions): LoadResult {
  const parsed = files.map((file) => parseFile(file, options));
  // Vertex files first, so that an edge finds its ends whatever the files' order.
  const ordered = [...parsed.filter((f) => f.plan?.kind !== "edge"), ...parsed.filter((f) => f.plan?.kind === "edge")];
  const errors: ErrorLog[] = [];
  const report = (problem: ErrorLog) => {
    if (errors.length < MAX_ERROR_LOGS) errors.push(problem);
  };
  const feeds: FeedResult[] = [];
  let halted = false;
  for (const file of ordered) {
    const counts: FeedCounts = {
      totalRecords: 0,
      totalDuplicates: 0,
      parsingErrors: 0,
      datatypeMismatchErrors: 0,
      insertErrors: 0,
    };
    const feed = { fullUri: file.uri, status: "LOAD_NOT_STARTED", ...counts };
    feeds.push(feed);
    if (halted) {
      feed.status = "LOAD_CANCELLED_DUE_TO_ERRORS";
      continue;
    }
    // Problems of the CSV itself, then the records, in line order.
    const work: ({ problem: ErrorLog } | { fields: Field[]; line: number })[] = [
      ...file.problems.map((problem) => ({ problem })),
      ...file.records,
    ].sort((a, b) => ("problem" in a ? a.problem.recordNum : a.line) - ("problem" in b ? b.problem.recordNum : b.line));
    for (const item of work) {
      if ("problem" in item) {
        feed.parsingErrors++;
        report(item.problem);
      } else {
        if (++feed.totalRecords % RECORDS_PER_HEAP_CHECK === 0) options.checkHeap?.();
        try {
          if (loadRecord(graph, file.plan!, item.fields, options)) feed.totalDuplicates++;
        } catch (error) {
          if (!(error instanceof RecordError || error instanceof LoadFieldError)) throw error;
          const code = error instanceof RecordError ? error.code : "PARSING_ERROR";
          if (code === "PARSING_ERROR") feed.parsingErrors++;
          else feed.insertErrors++;
          report({ errorCode: code, errorMessage: error.message, fileName: file.uri, recordNum: item.line });
        }
      }
      if (options.failOnError && feed.parsingErrors + feed.insertErrors > 0) break;
    }
    const failed = feed.parsingErrors + feed.insertErrors > 0;
    feed.status = failed ? "LOAD_FAILED" : "LOAD_COMPLETED";
    if (failed && options.failOnError) halted = true;
  }
  // A halted load is rolled back: the feeds that had completed leave nothing either.
  if (halted)
    for (const feed of feeds) if (feed.status === "LOAD_COMPLETED") feed.status = "LOAD_CANCELLED_DUE_TO_ERRORS";
  return { feeds, errors, halted };
}

/** Loads one record; true when its id was already in the graph (a duplicate, merged into the element). */
function loadRecord(graph: PropertyGraph, plan: FilePlan, fields: Field[], options: LoadOptions): boolean {
  if (fields.length !== plan.properties.length)
    throw new RecordError(
      "PARSING_ERROR",
      `The record has ${fields.length} fields where the header has ${plan.properties.length}.`,
    );
  return plan.kind === "vertex" ? loadVertex(graph, plan, fields, options) : loadEdge(graph, plan, fields, options);
}

function requiredField(fields: Field[], column: number, what: string): string {
  const value = column >= 0 ? fields[column] : null;
  if (value === null || value === undefined || value === "")
    throw new RecordError("PARSING_ERROR", `The record has no ${what}.`);
  return value;
}

/** The record's property values by name; a field with several values (an array) gives a list. */
function recordProperties(plan: FilePlan, fields: Field[], options: LoadOptions): Map<string, PropertyValue[]> {
  const values = new Map<string, PropertyValue[]>();
  plan.properties.forEach((column, i) => {
    const field = fields[i];
    if (!column || field === null || field === undefined) return;
    if (field === "" && !options.allowEmptyStrings) return;
    let list = values.get(column.name);
    if (!list) values.set(column.name, (list = []));
    if (!column.array) list.push(typedValue(field, column));
    else for (const part of splitArray(field)) list.push(typedValue(part, column));
  });
  if (plan.idProperty) values.set(plan.idProperty, [fields[plan.id]!]);
  return values;
}

/** The stored form of a property's values: one value alone, several as a list without repeats. */
function stored(values: PropertyValue[]): PropertyValue {
  if (values.length === 1) return values[0]!;
  const seen = new Set<string>();
  const distinct = values.filter((v) => {
    const key = `${typeof v}:${v instanceof Date ? v.getTime() : String(v)}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return distinct.length === 1 ? distinct[0]! : distinct;
}

function cardinalityOf(plan: FilePlan, name: string): PropertyColumn["cardinality"] {
  const column = plan.properties.find((c) => c?.name === name);
  return column?.cardinality ?? (column?.array ? "set" : plan.defaultCardinality);
}

function loadVertex(graph: PropertyGraph, plan: FilePlan, fields: Field[], options: LoadOptions): boolean {
  const id = requiredField(fields, plan.id, "vertex id");
  const labelField = plan.label >= 0 ? fields[plan.label] : null;
  const labels = labelField ? splitArray(labelField) : [DEFAULT_VERTEX_LABEL];
  // reference §5.3: labels cannot be empty.
  if (labels.some((l) => l === "")) throw new RecordError("PARSING_ERROR", "A vertex label is empty.");
  const values = recordProperties(plan, fields, options);
  const existing = graph.nodes.get(id);
  if (!existing) {
    for (const [name, list] of values)
      if (cardinalityOf(plan, name) === "single" && list.length > 1)
        throw new RecordError("PARSING_ERROR", `Property '${name}' has single cardinality but several values.`);
    const properties = new Properties([...values].map(([name, list]) => [name, stored(list)]));
    graph.addNode(id, labels, properties);
    return false;
  }
  mergeInto(graph, existing, plan, values, options);
  for (const label of labels) graph.addLabel(existing, label);
  return true;
}

/**
 * A duplicate vertex id merges into the element (reference §5.3): a set property gains the values, a single one
 * that already holds another value is an insert error unless `updateSingleCardinalityProperties` (then replaced).
 * Every check comes before any write, so a refused record changes nothing.
 */
function mergeInto(
  graph: PropertyGraph,
  element: Node,
  plan: FilePlan,
  values: Map<string, PropertyValue[]>,
  options: LoadOptions,
): void {
  const writes: [string, PropertyValue][] = [];
  for (const [name, list] of values) {
    const before = element.properties.get(name);
    if (cardinalityOf(plan, name) === "set") {
      writes.push([
        name,
        stored([...(before === undefined ? [] : Array.isArray(before) ? before : [before]), ...list]),
      ]);
      continue;
    }
    const value = stored(list);
    if (Array.isArray(value))
      throw new RecordError("PARSING_ERROR", `Property '${name}' has single cardinality but several values.`);
    if (before !== undefined && stored([before, value]) !== before && !options.updateSingleCardinalityProperties)
      throw new RecordError(
        "INSERT_ERROR",
        `Vertex '${element.id}' already has a value for single-cardinality property '${name}' ` +
          "(set updateSingleCardinalityProperties to replace it).",
      );
    writes.push([name, value]);
  }
  for (const [name, value] of writes) graph.setProperty(element, name, value);
}

function loadEdge(graph: PropertyGraph, plan: FilePlan, fields: Field[], options: LoadOptions): boolean {
  const generated = options.format === "opencypher" && !options.userProvidedEdgeIds;
  if (generated && plan.id >= 0)
    throw new RecordError("PARSING_ERROR", "A relationship file has :ID while userProvidedEdgeIds is false.");
  const id = generated ? undefined : requiredField(fields, plan.id, "edge id");
  const from = requiredField(fields, plan.from, "start vertex id");
  const to = requiredField(fields, plan.to, "end vertex id");
  const label = (plan.label >= 0 ? fields[plan.label] : null) || DEFAULT_EDGE_LABEL;
  const values = recordProperties(plan, fields, options);
  const start = graph.nodes.get(from);
  const end = graph.nodes.get(to);
  if (!start || !end)
    throw new RecordError(
      "FROM_OR_TO_VERTEX_ARE_MISSING",
      `Edge '${id ?? "(generated id)"}': vertex '${!start ? from : to}' does not exist.`,
    );
  const existing = id === undefined ? undefined : graph.relationships.get(id);
  const properties = [...values].map(([name, list]) => [name, stored(list)] as [string, PropertyValue]);
  if (!existing) {
    graph.addRelationship(id, label, start, end, new Properties(properties));
    return false;
  }
  if (existing.start !== start || existing.end !== end || existing.type !== label)
    throw new RecordError("INSERT_ERROR", `Edge '${id}' already exists with other ends or another label.`);
  for (const [name, value] of properties) graph.setProperty(existing, name, value);
  return true;
}
