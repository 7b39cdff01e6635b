import { AwsError } from "../protocol/errors.js";

/**
 * The engine's errors, in Neptune's data-plane codes and statuses (botocore `neptunedata` model, summarized in
 * reference/neptune-data-plane.md §1.4 and §2.3). The engine knows nothing of HTTP; the status travels with the
 * code so that the data-plane face answers `{"requestId","code","detailedMessage"}` without a second table.
 */
export class GraphError extends AwsError {}

export const GraphErrors = {
  /** A syntax or semantic error in the query text, with its place (1-based line and column). */
  malformed: (message: string, line?: number, column?: number) =>
    new GraphError(
      "MalformedQueryException",
      line === undefined ? message : `${message} (line ${line}, column ${column})`,
      400,
    ),
  /** A query that is well formed but asks for something Neptune's openCypher does not do (compliance page). */
  unsupported: (message: string) => new GraphError("UnsupportedOperationException", message, 400),
  /**
   * A value of the wrong type at run time, a missing parameter, a node deleted with relationships left. Neptune
   * documents no finer code for these openCypher run-time failures; BadRequestException (400, not retryable) is
   * the code its engine-error table gives to requests that cannot succeed as written. Decision, not a source.
   */
  badRequest: (message: string) => new GraphError("BadRequestException", message, 400),
  /** Parameters the query names that the request does not give (Neo4j's wording; Neptune documents none). */
  missingParameters: (names: string[]) =>
    new GraphError("BadRequestException", `Expected parameter(s): ${names.join(", ")}`, 400),
  /** The query ran past `neptune_query_timeout` (reference §2.3: 500, retryable). */
  timeLimit: () => new GraphError("TimeLimitExceededException", "Operation terminated (deadline exceeded)", 500),
  /**
   * The query's working set grew past what the engine allows it (reference §1.4: MemoryLimitExceededException, 500,
   * retryable). The wording follows the time limit's; Neptune's own text is not documented.
   */
  memoryLimit: () => new GraphError("MemoryLimitExceededException", "Operation terminated (out of memory)", 500),
  /**
   * A query nested deeper than the engine can follow (the parser and evaluator recurse). *Decided*:
   * QueryTooLargeException (400, the model's code for a query the engine will not take as written).
   */
  tooDeep: () => new GraphError("QueryTooLargeException", "The query is nested too deeply to be evaluated", 400),
  /** A parameters document that is not a JSON object. */
  invalidParameter: (message: string) => new GraphError("InvalidParameterException", message, 400),
  /**
   * A duplicate `~id`. The docs name a DuplicateDataException that is not in the model; Gremlin answers
   * ConstraintViolationException (400) for the same fault, so openCypher does too here. Decision, not a source.
   */
  constraint: (message: string) => new GraphError("ConstraintViolationException", message, 400),
} as const;
