import type { ExecuteOpenCypherQueryInput } from "../generated/neptunedata.js";
import { bindRestJsonInput } from "../protocol/rest-json.js";
import { dataPlaneError, NEPTUNEDATA, queryMethod } from "./errors.js";

/**
 * `/openCypher` as Neptune's HTTP endpoint takes it (reference §2.1), besides the SDK's JSON body:
 *   GET  ?query=…&parameters=…                                  (query string)
 *   POST application/x-www-form-urlencoded  query=…&parameters=…  (form; the query string too)
 *   POST application/opencypher  <the query text>               (parameters in the query string)
 *   POST application/json  {"query","parameters"}               (ExecuteOpenCypherQuery, the SDK's form)
 * `parameters` is always a JSON object in a string. All of them become ExecuteOpenCypherQuery's input.
 */

/** Whether a path is openCypher's query endpoint (`/openCypher` and `/opencypher`, reference §1.2). */
export const isOpenCypherPath = (path: string) => path.replace(/\/+$/, "").toLowerCase() === "/opencypher";

function mediaType(headers: Record<string, string | string[] | undefined>): string {
  const value = headers["content-type"];
  return (Array.isArray(value) ? value[0] : (value ?? "")).split(";", 1)[0]!.trim().toLowerCase();
}

export function openCypherInput(
  method: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): ExecuteOpenCypherQueryInput {
  const verb = queryMethod(method, "/openCypher");
  const fields = new URLSearchParams(query);
  if (verb === "POST" && body.length > 0) {
    const type = mediaType(headers);
    if (type === "application/json") {
      const bound = bindRestJsonInput(
        NEPTUNEDATA,
        "ExecuteOpenCypherQuery",
        { labels: {}, query, headers, body },
        "BadRequestException",
      );
      return present(bound.openCypherQuery as string | undefined, bound.parameters as string | undefined, fields);
    }
    if (type === "application/opencypher") return present(body.toString("utf8"), fields.get("parameters"), fields);
    if (type !== "" && type !== "application/x-www-form-urlencoded")
      throw dataPlaneError(
        "BadRequestException",
        `Content-Type ${type} is not accepted on /openCypher: use application/x-www-form-urlencoded, ` +
          "application/opencypher or application/json.",
      );
    for (const [key, value] of new URLSearchParams(body.toString("utf8"))) fields.set(key, value);
  }
  return present(fields.get("query"), fields.get("parameters"), fields);
}

function present(
  text: string | null | undefined,
  parameters: string | null | undefined,
  fields: URLSearchParams,
): ExecuteOpenCypherQueryInput {
  // Explain (`explain=static|dynamic|details`) is not served: the engine has no plan to show.
  if (fields.has("explain"))
    throw dataPlaneError("UnsupportedOperationException", "openCypher explain is not supported by Trident.");
  // *Decided*: a request without a query is MissingParameterException (400), the model's code for a required
  // parameter that is absent (the docs show no capture of this case).
  if (text === null || text === undefined || text.trim() === "")
    throw dataPlaneError("MissingParameterException", "Missing parameter: query (the openCypher query text).");
  return parameters === null || parameters === undefined
    ? { openCypherQuery: text }
    : { openCypherQuery: text, parameters };
}
