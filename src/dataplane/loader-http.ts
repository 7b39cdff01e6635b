import { shapeOf } from "../protocol/model.js";
import { NEPTUNEDATA } from "./errors.js";

/**
 * `/loader` as Neptune's HTTP endpoint takes it (reference §1.2, §5), besides the SDK's forms: status and cancel
 * also as `GET|DELETE /loader?loadId=…`, and StartLoaderJob's flags as the strings `"TRUE"` / `"FALSE"` (the
 * docs' curl examples; the SDK sends JSON booleans). This rewrites the raw forms into the SDK's, which the model
 * then binds and validates as usual.
 */

/** StartLoaderJob's Boolean members, by their wire names (from the model, not a list kept by hand). */
const FLAGS: string[] = Object.entries(shapeOf(NEPTUNEDATA, "StartLoaderJobInput").members ?? {})
  .filter(([, ref]) => shapeOf(NEPTUNEDATA, ref.shape).type === "boolean")
  .map(([name, ref]) => ref.locationName ?? name);

const isLoaderPath = (path: string) => path.replace(/\/+$/, "") === "/loader";

export function loaderRequest(
  method: string,
  path: string,
  query: URLSearchParams,
  body: Buffer,
): { path: string; body: Buffer } {
  if (!isLoaderPath(path)) return { path, body };
  const verb = method.toUpperCase();
  const loadId = query.get("loadId");
  if ((verb === "GET" || verb === "DELETE") && loadId !== null)
    return { path: `/loader/${encodeURIComponent(loadId)}`, body };
  if (verb !== "POST" || body.length === 0) return { path, body };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { path, body }; // the binder refuses it with Neptune's error
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { path, body };
  const fields = parsed as Record<string, unknown>;
  for (const name of FLAGS) {
    const value = fields[name];
    if (typeof value === "string" && /^(true|false)$/i.test(value)) fields[name] = value.toLowerCase() === "true";
  }
  return { path, body: Buffer.from(JSON.stringify(fields)) };
}
