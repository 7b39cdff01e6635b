import { GraphError } from "../graph/errors.js";
import { parseScript } from "./script/parser.js";
import { BytecodeArg, Predicate, Token, type Arg, type Bytecode, type Instruction } from "./values.js";

/**
 * The `neptune-db:` query actions a Gremlin traversal needs on a cluster with IAM database authentication, derived
 * from the traversal as written, before it runs: Neptune "determines the permissions needed to run each step of
 * the query, and combines these into the full set", every action the query *could* perform, whether or not it
 * does on the data (docs iam-data-access-policies.html, reference §6):
 *   - every traversal reads (g.V().count() needs ReadDataViaQuery only);
 *   - addV, addE (they read to check the id is free), mergeV and mergeE also write;
 *   - drop also deletes (g.V().drop() needs Read + Delete);
 *   - property() also writes *and deletes*: "any query that contains a property() step" needs all three, since
 *     it may replace an existing value (the docs' example is g.V('1').property(single, 'key1', 'value1')).
 * Steps inside argument traversals count the same (`sideEffect(__.drop())`, `coalesce(__.V('x'), __.addV())`).
 * Any other step, including steps Trident does not run, only reads.
 *
 * Decided where the docs say nothing, each for the same reason as the rule it follows:
 *   - property() written right after addV/addE (or after such a property()) without a cardinality is part of the
 *     element being added, not a step of its own: TinkerPop's GraphTraversal.property() folds it into the
 *     AddVertex/AddEdge step's parameters, so it needs what addV/addE needs (Read + Write). With a cardinality,
 *     TinkerPop makes it an AddPropertyStep, so it needs all three.
 *   - mergeV/mergeE with option(Merge.onMatch, …) also delete: on a match they replace property values, as
 *     property(single, …) does.
 */

export type QueryAction = "ReadDataViaQuery" | "WriteDataViaQuery" | "DeleteDataViaQuery";

const ADDS = new Set(["addV", "addE"]);
const MERGES = new Set(["mergeV", "mergeE"]);
const CARDINALITIES = new Set(["single", "set", "list"]);

/** The query actions `bytecode` needs, in the order Read, Write, Delete. */
export function gremlinActions(bytecode: Bytecode): QueryAction[] {
  const needs = { writes: false, deletes: false };
  visit(bytecode, needs);
  return actionsFor(needs);
}

/**
 * The query actions a string script needs: every action of each of its statements (they run as one transaction).
 * *Decided*, as for openCypher (authorize.ts): a script that does not parse needs Read only, so an allowed reader
 * gets its MalformedQueryException and anyone else a 403.
 */
export function scriptActions(script: string): QueryAction[] {
  let statements;
  try {
    statements = parseScript(script).statements;
  } catch (error) {
    if (error instanceof GraphError) return ["ReadDataViaQuery"];
    throw error;
  }
  const needs = { writes: false, deletes: false };
  for (const { bytecode } of statements) visit(bytecode, needs);
  return actionsFor(needs);
}

function actionsFor(needs: Needs): QueryAction[] {
  const actions: QueryAction[] = ["ReadDataViaQuery"];
  if (needs.writes) actions.push("WriteDataViaQuery");
  if (needs.deletes) actions.push("DeleteDataViaQuery");
  return actions;
}

interface Needs {
  writes: boolean;
  deletes: boolean;
}

function visit(bytecode: Bytecode, needs: Needs): void {
  for (const instruction of bytecode.source) visitArgs(instruction.args, needs);
  instructions(bytecode.step, needs);
}

function instructions(steps: readonly Instruction[], needs: Needs): void {
  /** The step the next modulator or folded property() belongs to. */
  let end: string | undefined;
  for (const { name, args } of steps) {
    visitArgs(args, needs);
    if (ADDS.has(name) || MERGES.has(name)) needs.writes = true;
    if (name === "drop") needs.deletes = true;
    if (name === "option" && end !== undefined && MERGES.has(end) && isToken(args[0], "onMatch")) needs.deletes = true;
    if (name === "property") {
      needs.writes = true;
      const folded = end !== undefined && ADDS.has(end) && !CARDINALITIES.has(tokenName(args[0]) ?? "");
      if (!folded) {
        needs.deletes = true;
        end = name;
      }
      continue;
    }
    // Modulators (from/to/by/option/…) leave the step they modulate at the end.
    if (!MODULATORS.has(name)) end = name;
  }
}

const MODULATORS = new Set(["by", "from", "to", "times", "until", "emit", "with", "option", "as"]);

function visitArgs(args: readonly Arg[], needs: Needs): void {
  for (const arg of args) visitArg(arg, needs);
}

function visitArg(arg: Arg, needs: Needs): void {
  if (arg instanceof BytecodeArg) visit(arg, needs);
  else if (Array.isArray(arg)) visitArgs(arg, needs);
  else if (arg instanceof Map)
    for (const [key, value] of arg) {
      visitArg(key, needs);
      visitArg(value, needs);
    }
  else if (arg instanceof Predicate) {
    visitArg(arg.value, needs);
    if (arg.other !== undefined) visitArg(arg.other, needs);
  }
}

const tokenName = (arg: Arg | undefined): string | undefined => (arg instanceof Token ? arg.name : undefined);
const isToken = (arg: Arg | undefined, name: string): boolean => tokenName(arg) === name;
