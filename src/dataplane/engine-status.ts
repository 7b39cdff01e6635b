import type { GetEngineStatusOutput } from "../generated/neptunedata.js";
import type { GraphSession } from "../domain/neptune/data-plane/session.js";
import { compareVersions } from "../domain/neptune/catalogue.js";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n: number) => String(n).padStart(2, "0");

/**
 * A time as Java's `Date.toString()` writes it in UTC, the form of `/status`'s `startTime` (reference §4.1:
 * "Wed Dec 29 02:29:24 UTC 2021").
 */
export function javaDateString(ms: number): string {
  const d = new Date(ms);
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
  );
}

/**
 * The TinkerPop version an engine serves (docs access-graph-gremlin.html: engines from 1.3.2.0 support TinkerPop
 * 3.7.1 to 3.7.3, 1.3.0.0 and 1.3.1.0 from 3.6.2, 1.2.1.x 3.6.2 only). *Decided*: the string names the version the
 * reference's sample shows for 3.7 (tinkerpop-3.7.2), and the one version documented for the 3.6 engines.
 */
export const tinkerPopVersion = (engineVersion: string): string =>
  compareVersions(engineVersion, "1.3.2.0") >= 0 ? "tinkerpop-3.7.2" : "tinkerpop-3.6.2";

/**
 * GetEngineStatus (`GET /status`), shaped as reference §4.1's sample. *Decided*: the query-language versions are
 * those the sample shows (Gremlin's follows the engine version: `tinkerPopVersion`); the
 * features say what Trident's data plane has: no result cache, no audit log, streams as the instance serves them; IAM authentication as
 * the cluster has it (reference §6: `"IAMAuthentication":"enabled"|"disabled"`).
 */
export function engineStatus(session: GraphSession): GetEngineStatusOutput {
  return {
    status: "healthy",
    startTime: javaDateString(session.startedAt),
    dbEngineVersion: `${session.engineVersion}.R1`,
    role: session.role,
    dfeQueryEngine: "viaQueryHint",
    gremlin: { version: tinkerPopVersion(session.engineVersion) },
    sparql: { version: "sparql-1.1" },
    opencypher: { version: "Neptune-9.0.20190305-1.0" },
    labMode: { ObjectIndex: "disabled", ReadWriteConflictDetection: "enabled" },
    features: {
      ResultCache: { status: "disabled" },
      IAMAuthentication: session.iamAuthentication ? "enabled" : "disabled",
      Streams: session.streams.enabled ? "enabled" : "disabled",
      AuditLog: "disabled",
    },
    settings: { clusterQueryTimeoutInMs: String(session.queryTimeoutMs) },
  };
}
