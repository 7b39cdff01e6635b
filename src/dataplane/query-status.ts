import type { NeptunedataOperations } from "../generated/neptunedata.js";
import { dataPlaneError } from "./errors.js";

/**
 * The query status APIs of both query languages (reference §1.3; docs gremlin-api-status.html,
 * access-graph-opencypher-status.html): list the running queries, the status of one, cancel one. Gremlin's and
 * openCypher's have the same shapes and one registry of running queries, which is always empty between two
 * requests: every query runs synchronously inside its request (HTTP or WebSocket), from start to end, so no
 * other request can see it running or cancel it. So the list is empty and a query id names nothing.
 *
 * *Decided* (no capture shows Neptune's answer for an id that names no running query): InvalidParameterException,
 * the model's code for a parameter value the server cannot use, naming the id.
 */

const noSuchQuery = (language: string, queryId: string) =>
  dataPlaneError("InvalidParameterException", `No ${language} query with id '${queryId}' is running.`);

const nothingRunning = () => ({ acceptedQueryCount: 0, runningQueryCount: 0, queries: [] });

type Operations = NeptunedataOperations;
type Handler<K extends keyof Operations> = (input: Operations[K]["input"]) => Operations[K]["output"];

/** The status, list and cancel handlers of one language, named `Gremlin` or `OpenCypher` as the operations are. */
function queryStatusHandlers(language: string) {
  const refuse = (input: { queryId: string }): never => {
    throw noSuchQuery(language, input.queryId);
  };
  return { list: nothingRunning, status: refuse, cancel: refuse };
}

const gremlin = queryStatusHandlers("Gremlin");
const openCypher = queryStatusHandlers("openCypher");

export const QUERY_STATUS_HANDLERS: {
  ListGremlinQueries: Handler<"ListGremlinQueries">;
  GetGremlinQueryStatus: Handler<"GetGremlinQueryStatus">;
  CancelGremlinQuery: Handler<"CancelGremlinQuery">;
  ListOpenCypherQueries: Handler<"ListOpenCypherQueries">;
  GetOpenCypherQueryStatus: Handler<"GetOpenCypherQueryStatus">;
  CancelOpenCypherQuery: Handler<"CancelOpenCypherQuery">;
} = {
  ListGremlinQueries: gremlin.list,
  GetGremlinQueryStatus: gremlin.status,
  CancelGremlinQuery: gremlin.cancel,
  ListOpenCypherQueries: openCypher.list,
  GetOpenCypherQueryStatus: openCypher.status,
  CancelOpenCypherQuery: openCypher.cancel,
};
