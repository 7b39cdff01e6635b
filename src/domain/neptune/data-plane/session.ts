import { rootPrincipal } from "../../../auth/identities.js";
import type { QueryEffects } from "../../../graph/cypher/ast.js";
import { withinStack, type GraphEngine } from "../../../graph/engine.js";
import { GraphError } from "../../../graph/errors.js";
import type { PropertyGraph } from "../../../graph/model/graph.js";
import type { Clock } from "../../../state/clock.js";
import type { Delays } from "../../../state/delays.js";
import type { Store, Table } from "../../../state/store.js";
import type { KmsServiceAccess } from "../../kms/service-access.js";
import { catchUp } from "../catch-up.js";
import { clusterStatus, instanceStatus, type NeptuneScope } from "../lifecycle.js";
import { clusterTable, instanceTable, type ClusterRecord, type InstanceRecord } from "../records.js";
import type { ClusterGraphs } from "./cluster-graphs.js";
import type { DataPlanePorts } from "./ports.js";
import { loaderJobTable, type LoaderJobRecord } from "./loader-jobs.js";
import { queryTimeoutMs } from "./query-timeout.js";

/**
 * What a request on a data-plane port reaches: the cluster behind the port, in the role of the endpoint it came
 * through, if the cluster serves now. The data-plane face (src/dataplane) asks for a session per request, inside
 * a store transaction, and turns a thrown GraphError into Neptune's error body.
 */
export interface GraphSession {
  readonly accountId: string;
  readonly region: string;
  readonly clusterIdentifier: string;
  readonly clusterResourceId: string;
  readonly engineVersion: string;
  /** IAM database authentication: requests must be SigV4-signed and allowed (src/dataplane/authorize.ts). */
  readonly iamAuthentication: boolean;
  /** `writer` on the cluster endpoint and the writer instance; `reader` on the reader endpoint and replicas. */
  readonly role: "writer" | "reader";
  readonly queryTimeoutMs: number;
  /** When the instance answering came up (GetEngineStatus `startTime`). */
  readonly startedAt: number;
  /** Runs one openCypher query atomically; Neptune's JSON results. A reader refuses writes. */
  openCypher(query: string, parameters?: string): string;
  /** What an openCypher query could do (writes, deletes); throws the query's syntax error. */
  openCypherEffects(query: string): QueryEffects;
  /** The graph as it is, for reading (the summary). */
  graph(): PropertyGraph;
  /**
   * Runs `work` on the graph as one transaction (the bulk loader): its changes are logged for durability as it
   * commits, and all undone if it throws. A reader refuses it. `checkHeap` fails the work once it fills the heap.
   */
  writeGraph<T>(work: (graph: PropertyGraph, checkHeap: () => void) => T): T;
  /** The bulk-load jobs of the cluster's account and region (filter by clusterResourceId). */
  readonly loaderJobs: Table<LoaderJobRecord>;
  /**
   * Runs `work` on the cluster's graph as one transaction (Gremlin): committed whole, its changes logged like an
   * openCypher query's, or undone if it throws. `tick`, called in its loops, stops it at the query timeout or the
   * heap limit as it stops a query. A reader runs it too: the work refuses its own writes there
   * (`readOnlyViolation`), since only it knows which of its steps write.
   */
  transact<T>(work: (graph: PropertyGraph, tick: () => void) => T): T;
  /** Fast reset: empties the graph (the face checks the two-step token). */
  reset(): void;
}

/** What serving needs of the emulator (kept narrow so this module does not import the Emulator). */
export interface DataPlaneWorld {
  store: Store;
  clock: Clock;
  delays: Delays;
  kms: KmsServiceAccess | undefined;
  ports: DataPlanePorts;
  graphs: ClusterGraphs;
}

/**
 * Why a cluster does not answer. Neptune has no such error: its endpoints are simply unreachable then (reference
 * §7). *Decided*: a local endpoint that refuses the connection would look like a broken emulator, so the listener
 * answers with PreconditionsFailedException (400, the model's code for a request the server's state does not
 * allow) and a message that says what to do.
 */
export const notServing = (message: string) => new GraphError("PreconditionsFailedException", message, 400);

/** Which of a port's addresses a request came in on. */
export type Arrival = "host" | "readerHost";

/** The session for a request that arrived on `port` at the given address; throws when nothing serves there. */
export function openSession(world: DataPlaneWorld, port: number, arrival: Arrival): GraphSession {
  const owner = world.ports.ownerOf(world.store, port);
  if (!owner) throw notServing(`No Neptune endpoint listens on port ${port}.`);
  const scope: NeptuneScope = {
    store: world.store,
    delays: world.delays,
    kms: world.kms,
    ports: world.ports,
    graphs: world.graphs,
    principal: rootPrincipal(owner.accountId),
    accountId: owner.accountId,
    region: owner.region,
    now: world.clock.now().getTime(),
  };
  catchUp(scope);
  const instances = instanceTable(scope.store, scope.accountId, scope.region).values();
  const clusters = clusterTable(scope.store, scope.accountId, scope.region).values();
  const instance = owner.kind === "instance" ? instances.find((i) => i.DbiResourceId === owner.resourceId) : undefined;
  const cluster =
    owner.kind === "cluster"
      ? clusters.find((c) => c.DbClusterResourceId === owner.resourceId)
      : clusters.find((c) => c.DBClusterIdentifier === instance?.DBClusterIdentifier);
  if (!cluster || (owner.kind === "instance" && !instance))
    throw notServing(`No Neptune endpoint listens on port ${port}.`);
  try {
    checkClusterServes(scope, cluster);
  } catch (error) {
    // Not serving: the graph leaves memory, its data key with it (reloaded from the store when it serves again).
    world.graphs.evict(cluster.DbClusterResourceId);
    throw error;
  }
  const members = instances.filter(
    (i) => i.DBClusterIdentifier === cluster.DBClusterIdentifier && instanceStatus(scope, i, cluster) === "available",
  );
  const answering = instance ?? answeringInstance(cluster, members, arrival);
  if (!answering || !members.includes(answering)) {
    throw notServing(
      instance
        ? `DB instance '${instance.DBInstanceIdentifier}' is ${instanceStatus(scope, instance, cluster)}, not available.`
        : `DB cluster '${cluster.DBClusterIdentifier}' has no available DB instance to answer queries: create one ` +
            "with CreateDBInstance (a restored cluster starts without instances, rule R11).",
    );
  }
  return sessionOf(world, scope, cluster, answering);
}

/** Refuses when the cluster is not available (stopped, in transition, or unable to use its KMS key). */
function checkClusterServes(scope: NeptuneScope, cluster: ClusterRecord): void {
  const status = clusterStatus(scope, cluster);
  if (status === "available" || status === "backing-up") return;
  const id = cluster.DBClusterIdentifier;
  if (status === "stopped") throw notServing(`DB cluster '${id}' is stopped: start it with StartDBCluster.`);
  if (status === "inaccessible-encryption-credentials")
    throw notServing(
      `DB cluster '${id}' is inaccessible-encryption-credentials: its KMS key can't be used, so its storage ` +
        "can't be decrypted.",
    );
  throw notServing(`DB cluster '${id}' is ${status}; it answers queries once it is available.`);
}

/**
 * The instance behind a cluster endpoint: the writer for the cluster endpoint; for the reader endpoint one of
 * the available replicas, or the writer when there is none (AWS: the reader endpoint then resolves to the
 * primary). *Decided*: the first replica by identifier, so that answers are reproducible.
 */
function answeringInstance(
  cluster: ClusterRecord,
  available: InstanceRecord[],
  arrival: Arrival,
): InstanceRecord | undefined {
  const writer = available.find((i) => i.DBInstanceIdentifier === cluster.writer);
  if (arrival === "host") return writer ?? undefined;
  const readers = available
    .filter((i) => i.DBInstanceIdentifier !== cluster.writer)
    .sort((a, b) => a.DBInstanceIdentifier.localeCompare(b.DBInstanceIdentifier));
  return readers[0] ?? writer;
}

function sessionOf(
  world: DataPlaneWorld,
  scope: NeptuneScope,
  cluster: ClusterRecord,
  instance: InstanceRecord,
): GraphSession {
  const role = instance.DBInstanceIdentifier === cluster.writer ? "writer" : "reader";
  const timeoutMs = queryTimeoutMs(scope, cluster, instance);
  const engine = (): GraphEngine => world.graphs.engine(scope, cluster, timeoutMs);
  return {
    accountId: scope.accountId,
    region: scope.region,
    clusterIdentifier: cluster.DBClusterIdentifier,
    clusterResourceId: cluster.DbClusterResourceId,
    engineVersion: cluster.EngineVersion,
    iamAuthentication: cluster.IAMDatabaseAuthenticationEnabled,
    role,
    queryTimeoutMs: timeoutMs,
    startedAt: instance.createdAt + world.delays.instanceCreateMs,
    openCypher(query, parameters) {
      const running = engine();
      if (role === "reader" && !running.isReadOnly(query)) throw readOnlyViolation();
      return running.run(query, parameters);
    },
    openCypherEffects: (query) => engine().effects(query),
    graph: () => engine().graph,
    writeGraph(work) {
      if (role === "reader") throw readOnlyViolation();
      const running = engine();
      return atomicallyOn(running, running.heapGuard(), work);
    },
    loaderJobs: loaderJobTable(scope.store, scope.accountId, scope.region),
    transact(work) {
      const running = engine();
      return atomicallyOn(running, running.deadline(), work);
    },
    reset() {
      world.graphs.reset(scope, cluster);
    },
  };
}

/** Runs `work` on the engine's graph as one transaction, with `guard` to call in its loops. */
function atomicallyOn<T>(
  running: GraphEngine,
  guard: () => void,
  work: (graph: PropertyGraph, guard: () => void) => T,
): T {
  return withinStack(() => running.graph.atomically(() => work(running.graph, guard)));
}

/** A write on a replica (reference §1.1: ReadOnlyViolationException, 400). */
export const readOnlyViolation = () =>
  new GraphError(
    "ReadOnlyViolationException",
    "The request is rejected because it violates some read-only restriction, such as a designation of a replica " +
      "as read-only.",
    400,
  );
