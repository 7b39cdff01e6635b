import type { ClusterEndpointRecord, ClusterRecord, InstanceRecord } from "../records.js";

/**
 * Which instance answers a request on a cluster's port, by the address it came in on. The session
 * (session.ts, openSession) asks here for every request of every protocol (openCypher, Gremlin over HTTP and
 * WebSocket, status, streams, the loader), so they all route alike.
 */

/** Which of a cluster's addresses a request came in on: its host, its reader host, or a custom endpoint's slot. */
export type Arrival = "host" | "readerHost" | { slot: number };

/**
 * The instance behind a cluster endpoint: the writer for the cluster endpoint; for the reader endpoint one of
 * the available replicas, or the writer when there is none (AWS: the reader endpoint then resolves to the
 * primary). *Decided*: the first replica by identifier, so that answers are reproducible.
 */
export function clusterEndpointInstance(
  cluster: ClusterRecord,
  available: InstanceRecord[],
  arrival: "host" | "readerHost",
): InstanceRecord | undefined {
  const writer = available.find((i) => i.DBInstanceIdentifier === cluster.writer);
  if (arrival === "host") return writer ?? undefined;
  return byIdentifier(available.filter((i) => i.DBInstanceIdentifier !== cluster.writer))[0] ?? writer;
}

/**
 * The available instances a custom endpoint reaches now: its StaticMembers, else every instance of the cluster
 * but its ExcludedMembers (so instances added later join it), narrowed by its type: READER reaches only read
 * replicas, WRITER only the writer, ANY both. Membership is by instance and the type is applied to the roles of
 * now: "Neptune doesn't change the DB instances specified in the static or exclusion lists when DB instances
 * change roles" (Neptune User Guide, "Working with custom endpoints"). *Decided*: WRITER reaches the writer
 * only when it is a member.
 */
export function customEndpointMembers(
  endpoint: ClusterEndpointRecord,
  cluster: ClusterRecord,
  available: InstanceRecord[],
): InstanceRecord[] {
  const isWriter = (i: InstanceRecord) => i.DBInstanceIdentifier === cluster.writer;
  const members =
    endpoint.staticMembers.length > 0
      ? available.filter((i) => endpoint.staticMembers.includes(i.DbiResourceId))
      : available.filter((i) => !endpoint.excludedMembers.includes(i.DbiResourceId));
  const ofType = members.filter((i) =>
    endpoint.CustomEndpointType === "READER"
      ? !isWriter(i)
      : endpoint.CustomEndpointType === "WRITER"
        ? isWriter(i)
        : true,
  );
  return byIdentifier(ofType);
}

const byIdentifier = (instances: InstanceRecord[]) =>
  [...instances].sort((a, b) => a.DBInstanceIdentifier.localeCompare(b.DBInstanceIdentifier));

/**
 * Spreads a custom endpoint's requests over its members in turn. AWS spreads at DNS resolution, so a connection
 * stays with the instance it reached. *Decided*: here each request takes the next member (by identifier), on
 * HTTP and on a Gremlin WebSocket alike: a changed membership then shows at the next request, as the issue asks,
 * and the spread is reproducible. The turns are kept in memory only (a restart starts again at the first member).
 */
export class EndpointRotation {
  readonly #turns = new Map<string, number>();

  next<T>(key: string, candidates: readonly T[]): T | undefined {
    if (candidates.length === 0) return undefined;
    const turn = this.#turns.get(key) ?? 0;
    this.#turns.set(key, (turn + 1) % candidates.length);
    return candidates[turn % candidates.length];
  }
}
