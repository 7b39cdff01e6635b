import type { GraphSession } from "../domain/neptune/data-plane/session.js";
import type {
  ExecuteFastResetInput,
  ExecuteFastResetOutput,
  ExecuteOpenCypherQueryInput,
  GetEngineStatusOutput,
  GetPropertygraphSummaryInput,
  GetPropertygraphSummaryOutput,
  NeptunedataOperations,
} from "../generated/neptunedata.js";
import { graphSummary } from "../graph/summary.js";
import { RawJson } from "../protocol/rest-json.js";
import { engineStatus } from "./engine-status.js";
import { dataPlaneError, readOnly } from "./errors.js";
import type { FastResetTokens } from "./fast-reset.js";
import { GREMLIN_HTTP_HANDLERS } from "./gremlin-http.js";
import { LOADER_HANDLERS } from "./loader.js";
import { QUERY_STATUS_HANDLERS } from "./query-status.js";
import { getPropertygraphStream } from "./streams-http.js";

/**
 * What a data-plane operation gets: the cluster session behind the port, the clock's now, the reset tokens, and the
 * request's id (`x-amzn-RequestId`; Gremlin's answer repeats it in its body).
 */
export interface DataPlaneContext {
  session: GraphSession;
  now: Date;
  resets: FastResetTokens;
  requestId: string;
}

type Handler<I> = (input: I, ctx: DataPlaneContext) => unknown;

function executeOpenCypherQuery(input: ExecuteOpenCypherQueryInput, ctx: DataPlaneContext): RawJson {
  // The engine writes ExecuteOpenCypherQueryOutput itself, `{"results":[…]}` with 64-bit integers as digits.
  return new RawJson(ctx.session.openCypher(input.openCypherQuery, input.parameters));
}

function getEngineStatus(_input: unknown, ctx: DataPlaneContext): GetEngineStatusOutput {
  return engineStatus(ctx.session);
}

/**
 * *Decided*: `lastStatisticsComputationTime` is the time of the request, since the summary is computed from the
 * live graph for each request (Neptune's comes from its last statistics run).
 */
function getPropertygraphSummary(
  input: GetPropertygraphSummaryInput,
  ctx: DataPlaneContext,
): GetPropertygraphSummaryOutput {
  return {
    statusCode: 200,
    payload: {
      version: "v1",
      lastStatisticsComputationTime: ctx.now,
      graphSummary: graphSummary(ctx.session.graph(), input.mode ?? "basic"),
    },
  };
}

function executeFastReset(input: ExecuteFastResetInput, ctx: DataPlaneContext): ExecuteFastResetOutput {
  const { session, resets } = ctx;
  // Fast reset must target the writer (reference §4.4); a reader refuses it as it refuses any write.
  if (session.role === "reader") throw readOnly();
  const now = ctx.now.getTime();
  if (input.action === "initiateDatabaseReset")
    return { status: "200 OK", payload: { token: resets.issue(session.clusterResourceId, now) } };
  if (input.token === undefined)
    throw dataPlaneError(
      "MissingParameterException",
      "performDatabaseReset needs the token that initiateDatabaseReset returned.",
    );
  // *Decided*: a wrong, used or expired token is InvalidParameterException (the first error the SDK documents
  // for ExecuteFastReset); nothing is reset.
  if (!resets.redeem(session.clusterResourceId, input.token, now))
    throw dataPlaneError(
      "InvalidParameterException",
      "The fast reset token is not valid: it is wrong, already used, or expired. Get a new one with " +
        "action=initiateDatabaseReset.",
    );
  session.reset();
  return { status: "200 OK" };
}

/** The operations Trident's data plane serves; every other one of the model is unsupported. */
export const DATA_PLANE_HANDLERS: { [K in keyof NeptunedataOperations]?: Handler<NeptunedataOperations[K]["input"]> } =
  {
    ExecuteOpenCypherQuery: executeOpenCypherQuery,
    GetEngineStatus: getEngineStatus,
    GetPropertygraphSummary: getPropertygraphSummary,
    ExecuteFastReset: executeFastReset,
    GetPropertygraphStream: getPropertygraphStream,
    ...QUERY_STATUS_HANDLERS,
    ...LOADER_HANDLERS,
    ...GREMLIN_HTTP_HANDLERS,
  };

const ML = "Neptune ML (SageMaker jobs and endpoints)";
const STATISTICS = "statistics management for the DFE engine";
const SPARQL = "RDF graphs and SPARQL";

/** Why each operation of the model that the data plane does not serve is out of scope (read by docs/coverage.md). */
export const OUT_OF_SCOPE: { [K in keyof NeptunedataOperations]?: string } = {
  CancelMLDataProcessingJob: ML,
  CancelMLModelTrainingJob: ML,
  CancelMLModelTransformJob: ML,
  CreateMLEndpoint: ML,
  DeleteMLEndpoint: ML,
  GetMLDataProcessingJob: ML,
  GetMLEndpoint: ML,
  GetMLModelTrainingJob: ML,
  GetMLModelTransformJob: ML,
  ListMLDataProcessingJobs: ML,
  ListMLEndpoints: ML,
  ListMLModelTrainingJobs: ML,
  ListMLModelTransformJobs: ML,
  StartMLDataProcessingJob: ML,
  StartMLModelTrainingJob: ML,
  StartMLModelTransformJob: ML,
  DeletePropertygraphStatistics: STATISTICS,
  GetPropertygraphStatistics: STATISTICS,
  ManagePropertygraphStatistics: STATISTICS,
  DeleteSparqlStatistics: SPARQL,
  GetSparqlStatistics: SPARQL,
  ManageSparqlStatistics: SPARQL,
  GetSparqlStream: SPARQL,
  GetRDFGraphSummary: SPARQL,
  ExecuteGremlinExplainQuery: "Gremlin explain (it reports Neptune's own query plans)",
  ExecuteGremlinProfileQuery: "Gremlin profile (it reports Neptune's own query plans)",
  ExecuteOpenCypherExplainQuery: "openCypher explain (it reports Neptune's own query plans)",
};

/**
 * An operation of the model that Trident does not serve (Gremlin's explain and profile, ML, SPARQL,
 * statistics management, openCypher explain). *Decided*: UnsupportedOperationException (400), the code Neptune gives
 * a request for a feature it does not offer (reference §2.3), naming the operation.
 */
export const unsupportedOperation = (operation: string) =>
  dataPlaneError(
    "UnsupportedOperationException",
    `${operation} is not supported by Trident's Neptune data plane (it serves openCypher, /status, the ` +
      "property-graph summary, fast reset, Gremlin queries, openCypher and Gremlin query status, the bulk " +
      "loader, and property-graph streams).",
  );
