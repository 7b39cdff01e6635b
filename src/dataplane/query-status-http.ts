import { dataPlaneError } from "./errors.js";

/**
 * `/gremlin/status` and `/openCypher/status` as Neptune's HTTP endpoints take them (docs gremlin-api-status.html,
 * gremlin-api-status-cancel.html, access-graph-opencypher-status.html), besides the SDK's forms: GET or POST, the
 * parameters in the query string or a form body: `queryId` for the status of one query, `cancelQuery` (no value)
 * with `queryId` to cancel it, `includeWaiting` (no value) for the list. Also `DELETE …/status?queryId=`, as the
 * loader takes `?loadId=`. This rewrites the raw forms into the SDK's (`GET|DELETE …/status/{queryId}`), which the
 * model then binds and validates as usual.
 */

export interface RestRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
}

const STATUS_PATH = /^\/(gremlin|opencypher)\/status\/*$/i;

export function queryStatusRequest(request: RestRequest): RestRequest {
  const language = STATUS_PATH.exec(request.path)?.[1];
  const verb = request.method.toUpperCase();
  if (language === undefined || !["GET", "POST", "DELETE"].includes(verb)) return request;
  const fields = new URLSearchParams(request.query);
  if (verb === "POST" && request.body.length > 0)
    for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) fields.set(key, value);
  // A flag given without a value (`--data-urlencode "includeWaiting"`) is set.
  for (const flag of ["includeWaiting", "silent"]) if (fields.get(flag) === "") fields.set(flag, "true");
  const base = `/${language.toLowerCase()}/status`;
  const queryId = fields.get("queryId") || null;
  fields.delete("queryId");
  const cancel = verb === "DELETE" || fields.has("cancelQuery");
  fields.delete("cancelQuery");
  if (queryId === null) {
    // *Decided*: cancelling without naming the query is MissingParameterException, the model's code for a
    // required parameter that is absent.
    if (cancel) throw dataPlaneError("MissingParameterException", "Missing parameter: queryId (the query to cancel).");
    return { method: "GET", path: base, query: fields, body: Buffer.alloc(0) };
  }
  const path = `${base}/${encodeURIComponent(queryId)}`;
  return { method: cancel ? "DELETE" : "GET", path, query: fields, body: Buffer.alloc(0) };
}
