import { rootPrincipal } from "../../../auth/identities.js";
import type { QueryEffects } from "../../../graph/cypher/ast.js";
import { withinStack, type GraphEngine } from "../../../graph/engine.js";
import { GraphError } from "../../../graph/errors.js";
import type { PropertyGraph } from "../../../graph/model/graph.js";
import { applyChanges, type Change } from "../../../graph/storage/changes.js";
import type { Clock } from "../../../state/clock.js";
import type { Delays } from "../../../state/delays.js";
import type { Store, Table } from "../../../state/store.js";
import type { KmsServiceAccess } from "../../kms/service-access.js";
import { catchUp } from "../catch-up.js";
import { endpointInSlot, endpointStatus } from "../cluster-endpoints.js";
import { graphSourceOf } from "../global-clusters-members.js";
import { clusterStatus, instanceStatus, type NeptuneScope } from "../lifecycle.js";
import { clusterTable, instanceTable, type ClusterRecord, type InstanceRecord } from "../records.js";
import type { ClusterGraphs } from "./cluster-graphs.js";
import type { DataPlanePorts } from "./ports.js";
import {
  clusterEndpointInstance,
  customEndpointMembers,
  type Arrival,
  type EndpointRotation,
} from "./endpoint-routing.js";
import { loaderJobTable, type LoaderJobRecord } from "./loader-jobs.js";
import { queryTimeoutMs } from "./query-timeout.js";
import type { StreamPage, StreamQuery } from "./streams.js";
import { streamSettingsIn, type StreamSettings } from "./streams-settings.js";
import { concurrentModification, type OpenTransaction } from "./open-transactions.js";

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
  /** Begins a transaction held across requests (a Gremlin session's): none of it reaches the graph until commit. */
  begin(): OpenTransaction;
  /**
   * Runs `work` inside `tx`, as `transact` runs it, on the graph as committed plus `tx`'s changes so far (a session
   * reads its own writes); its changes join `tx`'s and the graph is left as committed (no other request sees
   * them). If `work` throws, `tx` is rolled back whole: Neptune rolls back a session's transaction when one of
   * its requests fails (docs access-graph-gremlin-sessions.html).
   */
  transactIn<T>(tx: OpenTransaction, work: (graph: PropertyGraph, tick: () => void) => T): T;
  /** Commits `tx`: its changes applied as one transaction and logged like any other. */
  commit(tx: OpenTransaction): void;
  /** Rolls `tx` back: its changes dropped, its locks released. */
  rollback(tx: OpenTransaction): void;
  /** Fast reset: empties the graph (the face checks the two-step token). */
  reset(): void;
  /** Neptune Streams as the answering instance serves them (set at its last reboot). */
  readonly streams: StreamSettings;
  /** The cluster's stream records a GetPropertygraphStream asks for (the caller checks that streams are on). */
  readStream(query: StreamQuery): StreamPage;
}

/** What serving needs of the emulator (kept narrow so this module does not import the Emulator). */
export interface DataPlaneWorld {
  store: Store;
  clock: Clock;
  delays: Delays;
  kms: KmsServiceAccess | undefined;
  ports: DataPlanePorts;
  graphs: ClusterGraphs;
  /** Whose turn it is among each custom endpoint's members. */
  rotation: EndpointRotation;
}

/**
 * Why a cluster does not answer. Neptune has no such error: its endpoints are simply unreachable then (reference
 * §7). *Decided*: a local endpoint that refuses the connection would look like a broken emulator, so the listener
 * answers with PreconditionsFailedException (400, the model's code for a request the server's state does not
 * allow) and a message that says what to do.
 */
export const notServing = (message: string) => new GraphError("PreconditionsFailedException", message, 400);

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
  const answering =
    instance ??
    (typeof arrival === "object"
      ? customEndpointInstance(world, scope, cluster, members, arrival.slot)
      : clusterEndpointInstance(cluster, members, arrival));
  if (!answering || !members.includes(answering)) {
    throw notServing(
      instance
        ? `DB instance '${instance.DBInstanceIdentifier}' is ${instanceStatus(scope, instance, cluster)}, not available.`
        : noInstance(cluster),
    );
  }
  return sessionOf(world, scope, cluster, answering);
}

/** Refuses when the cluster is not available (stopped, in transition, or unable to use its KMS key). */
export function checkClusterServes(scope: NeptuneScope, cluster: ClusterRecord): void {
  const id = cluster.DBClusterIdentifier;
  // The console's graph summary reads through here too: with the data plane off no cluster serves.
  if (scope.ports.config.off)
    throw notServing(
      `DB cluster '${id}' answers no queries: this Trident runs without its data plane (trident serve --no-data-plane).`,
    );
  const status = clusterStatus(scope, cluster);
  if (status === "available" || status === "backing-up") return;
  if (status === "stopped") throw notServing(`DB cluster '${id}' is stopped: start it with StartDBCluster.`);
  if (status === "inaccessible-encryption-credentials")
    throw notServing(
      `DB cluster '${id}' is inaccessible-encryption-credentials: its KMS key can't be used, so its storage ` +
        "can't be decrypted.",
    );
  throw notServing(`DB cluster '${id}' is ${status}; it answers queries once it is available.`);
}

const noInstance = (cluster: ClusterRecord) =>
  `DB cluster '${cluster.DBClusterIdentifier}' has no available DB instance to answer queries: create one ` +
  "with CreateDBInstance (a restored cluster starts without instances, rule R11).";

const MEMBER_KIND: Record<string, string> = { READER: "read replica", WRITER: "writer" };

/**
 * The member of the custom endpoint on `slot` that answers this request (endpoint-routing.ts). An endpoint that
 * is not there (deleted as the request came) or still creating answers nothing else; one without an available
 * member is refused as its cluster is without instances (Neptune's endpoint would not answer), saying why.
 */
function customEndpointInstance(
  world: DataPlaneWorld,
  scope: NeptuneScope,
  cluster: ClusterRecord,
  available: InstanceRecord[],
  slot: number,
): InstanceRecord {
  const endpoint = endpointInSlot(scope, cluster.DbClusterResourceId, slot);
  if (!endpoint) throw notServing(`No custom endpoint of DB cluster '${cluster.DBClusterIdentifier}' listens here.`);
  const id = endpoint.DBClusterEndpointIdentifier;
  const status = endpointStatus(scope, endpoint, cluster);
  if (status === "creating") throw notServing(`DB cluster endpoint '${id}' is creating; it answers once available.`);
  if (available.length === 0) throw notServing(noInstance(cluster));
  const members = customEndpointMembers(endpoint, cluster, available);
  const answering = world.rotation.next(endpoint.DBClusterEndpointResourceIdentifier, members);
  if (!answering) {
    const kind = MEMBER_KIND[endpoint.CustomEndpointType] ?? "DB instance";
    throw notServing(
      `DB cluster endpoint '${id}' (${endpoint.CustomEndpointType}) has no available ${kind} among its members to ` +
        "answer queries: change its members with ModifyDBClusterEndpoint.",
    );
  }
  return answering;
}

function sessionOf(
  world: DataPlaneWorld,
  scope: NeptuneScope,
  cluster: ClusterRecord,
  instance: InstanceRecord,
): GraphSession {
  const role = instance.DBInstanceIdentifier === cluster.writer ? "writer" : "reader";
  const timeoutMs = queryTimeoutMs(scope, cluster, instance);
  // A global database's secondary answers from its primary's graph and stream (global-clusters-members.ts): "Neptune
  // uses the same native storage for the change-log stream as for graph data" (streams.html), and that storage is
  // what the secondary replicates. Only a writer's commits reach a stream.
  const source = graphSourceOf(scope, cluster);
  const streams = streamSettingsIn(instance);
  const engine = (): GraphEngine => world.graphs.engine(source.scope, source.cluster, timeoutMs, streams);
  const { transactions } = world.graphs;
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
    streams,
    readStream: (query) => world.graphs.readStream(source.scope, source.cluster, streams, query),
    begin: () => transactions.begin(cluster.DbClusterResourceId, scope.now),
    transactIn(tx, work) {
      stillOpen(tx);
      const running = engine();
      const tick = running.deadline();
      try {
        const { result, changes } = withinStack(() =>
          running.graph.tentatively(() => {
            replay(running.graph, tx.changes);
            return work(running.graph, tick);
          }),
        );
        transactions.lock(cluster.DbClusterResourceId, changes, scope.now, tx);
        tx.changes = changes;
        return result;
      } catch (error) {
        transactions.end(tx);
        throw error;
      }
    },
    commit(tx) {
      stillOpen(tx);
      const { changes } = tx;
      transactions.end(tx);
      if (changes.length === 0) return;
      const running = engine();
      atomicallyOn(running, running.deadline(), (graph) => replay(graph, changes));
    },
    rollback: (tx) => transactions.end(tx),
  };

  /** A transaction past Neptune's session lifetime is rolled back; one already ended cannot go on. */
  function stillOpen(tx: OpenTransaction): void {
    if (tx.ended) throw sessionEnded();
    if (tx.expired(scope.now)) {
      transactions.end(tx);
      throw sessionEnded();
    }
  }
}

/**
 * An open transaction's changes replayed on the graph as committed now. One that no longer applies (another
 * request deleted an element it changed, or took an id it added) is a write conflict:
 * ConcurrentModificationException, as Neptune answers a transaction it cannot complete.
 */
function replay(graph: PropertyGraph, changes: readonly Change[]): void {
  try {
    applyChanges(graph, changes);
  } catch {
    throw concurrentModification();
  }
}

/**
 * A session's transaction that timed out (Neptune's 10 minutes, SESSION_LIFETIME_MS). Neptune's code and message
 * for it are not documented; *decided*: TimeLimitExceededException (500), saying that the work is gone.
 */
const sessionEnded = () =>
  new GraphError(
    "TimeLimitExceededException",
    "The session's transaction was open longer than Neptune's 10 minutes and was rolled back: begin a new one.",
    500,
  );

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
