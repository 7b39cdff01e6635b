import { authenticate } from "../auth/authenticate.js";
import type { Principal } from "../auth/principal.js";
import { parseSigV4 } from "../auth/sigv4.js";
import type { GraphSession } from "../domain/neptune/data-plane/session.js";
import type { Emulator } from "../emulator.js";
import type { NeptunedataOperations } from "../generated/neptunedata.js";
import { GraphError } from "../graph/errors.js";
import { accessDeniedMessage, authorizeByIdentity, type ConditionContext } from "../policy/index.js";
import { AwsError } from "../protocol/errors.js";
import { signedParts, type RawRequest } from "../server/pipeline.js";
import { dataPlaneError, NEPTUNEDATA } from "./errors.js";
import { scriptActions } from "../gremlin/actions.js";

/**
 * IAM database authentication (reference §6). A cluster with `IAMDatabaseAuthenticationEnabled` serves only
 * requests SigV4-signed for `neptune-db` by a principal of the cluster's account whose identity policies (and
 * session policy) allow the `neptune-db:` actions the request needs, on
 * `arn:aws:neptune-db:REGION:ACCOUNT:CLUSTER-RESOURCE-ID/*`. Neptune has no resource policy on a cluster, so no
 * principal of another account is ever allowed. A cluster without IAM auth ignores signatures. An HTTP request is
 * authenticated and authorized at once (`dataPlaneAccess`); a Gremlin WebSocket authenticates its handshake
 * (`dataPlaneCaller`) and authorizes each traversal for that caller (`callerAccess`), by the same evaluation.
 *
 * `neptune-db:connect` is not honoured: it granted all data access only on engines before 1.2.0.0; from 1.2.0.0
 * (every version Trident serves) the granular actions decide and relying on `connect` alone is refused with 403
 * (reference §6, "Actions"; docs iam-dp-actions.html; amazon-neptune-sigv4-signer#22).
 *
 * Every refusal is Neptune's AccessDeniedException (403) in the data-plane error body (reference §6, "Failure
 * behavior"). *Decided* messages, since no capture settles Neptune's `detailedMessage`: an unsigned request says
 * "Missing Authentication Token" (the reference's example); a bad, expired or unknown credential says what SigV4
 * verification found (the control plane's words); a denial words it as IAM does ("User: … is not authorized to
 * perform: … because no identity-based policy allows …").
 */

/** A query language, as the condition key `neptune-db:QueryLanguage` names it (docs iam-data-condition-keys.html). */
export type QueryLanguage = "Gremlin" | "OpenCypher";

/** What one request must be allowed to do. */
export interface DataPlaneAccess {
  /** Throws AccessDeniedException unless the caller may run `operation` with this input. */
  authorize(operation: string, input: Record<string, unknown>): void;
  /**
   * Throws AccessDeniedException unless the caller may perform every one of the actions (a query's in `language`).
   * They are derived only where IAM auth checks them: deriving a query's actions means parsing it.
   */
  authorizeActions(actionsOf: () => readonly string[], language?: QueryLanguage): void;
}

const OPEN: DataPlaneAccess = { authorize: () => undefined, authorizeActions: () => undefined };

/**
 * Who signed a request, as authorization needs it. A WebSocket connection keeps the one of its handshake for its
 * whole life (gremlin-ws.ts).
 */
export interface DataPlaneCaller {
  readonly principal: Principal;
  /** The request's User-Agent (`aws:UserAgent`). */
  readonly userAgent?: string;
}

type ActionsOf = (input: Record<string, unknown>, session: GraphSession) => string[];

/**
 * The actions each served operation needs (docs iam-dp-actions.html and each operation's SDK documentation:
 * ListOpenCypherQueries needs GetQueryStatus). An operation served without an entry here is refused on an IAM
 * cluster, never let through.
 */
const ACTIONS: Partial<Record<keyof NeptunedataOperations, ActionsOf>> = {
  ExecuteOpenCypherQuery: (input, session) => openCypherActions(session, input.openCypherQuery as string),
  GetEngineStatus: () => ["GetEngineStatus"],
  GetPropertygraphSummary: () => ["GetGraphSummary"],
  GetPropertygraphStream: () => ["GetStreamRecords"],
  ExecuteFastReset: () => ["ResetDatabase"],
  ListOpenCypherQueries: () => ["GetQueryStatus"],
  GetOpenCypherQueryStatus: () => ["GetQueryStatus"],
  CancelOpenCypherQuery: () => ["CancelQuery"],
  ListGremlinQueries: () => ["GetQueryStatus"],
  GetGremlinQueryStatus: () => ["GetQueryStatus"],
  CancelGremlinQuery: () => ["CancelQuery"],
  // The loader's actions are named after its operations (docs iam-dp-actions.html).
  StartLoaderJob: () => ["StartLoaderJob"],
  GetLoaderJobStatus: () => ["GetLoaderJobStatus"],
  ListLoaderJobs: () => ["ListLoaderJobs"],
  CancelLoaderJob: () => ["CancelLoaderJob"],
  ExecuteGremlinQuery: (input) => scriptActions(input.gremlinQuery as string),
};

/**
 * The operations whose actions carry `neptune-db:QueryLanguage`, and its value (docs iam-data-condition-keys.html:
 * the key applies to the query actions, GetQueryStatus and CancelQuery). A Gremlin traversal over WebSocket is
 * authorized with "Gremlin" by gremlin-ws.ts.
 */
const QUERY_LANGUAGE: Partial<Record<keyof NeptunedataOperations, QueryLanguage>> = {
  ExecuteOpenCypherQuery: "OpenCypher",
  ExecuteOpenCypherExplainQuery: "OpenCypher",
  ListOpenCypherQueries: "OpenCypher",
  GetOpenCypherQueryStatus: "OpenCypher",
  CancelOpenCypherQuery: "OpenCypher",
  ExecuteGremlinQuery: "Gremlin",
  ExecuteGremlinExplainQuery: "Gremlin",
  ExecuteGremlinProfileQuery: "Gremlin",
  ListGremlinQueries: "Gremlin",
  GetGremlinQueryStatus: "Gremlin",
  CancelGremlinQuery: "Gremlin",
};

/**
 * Neptune derives from the query text every action any clause could perform and requires all of them, whether
 * or not they end up being used (docs iam-data-access-policies.html): every query reads; CREATE, MERGE and SET
 * also write; DELETE and REMOVE also delete, so a query that does both needs all three. *Decided*: a query that
 * does not parse needs Read only, so an allowed reader gets its MalformedQueryException and anyone else a 403.
 */
function openCypherActions(session: GraphSession, query: string): string[] {
  const actions = ["ReadDataViaQuery"];
  let effects;
  try {
    effects = session.openCypherEffects(query);
  } catch (error) {
    if (error instanceof GraphError) return actions;
    throw error;
  }
  if (effects.writes) actions.push("WriteDataViaQuery");
  if (effects.deletes) actions.push("DeleteDataViaQuery");
  return actions;
}

const accessDenied = (message: string) => dataPlaneError("AccessDeniedException", message);

const MISSING_TOKEN = "Missing Authentication Token";

/**
 * Authenticates a request to `session`'s cluster (nothing, when the cluster has no IAM auth) and returns how to
 * authorize its operation once that is known. Authentication comes first, so an unsigned request learns nothing
 * of the operation or its input.
 */
export function dataPlaneAccess(
  emulator: Emulator,
  session: GraphSession,
  request: RawRequest,
  secure: boolean,
): DataPlaneAccess {
  return callerAccess(emulator, session, dataPlaneCaller(emulator, session, request), secure);
}

/**
 * The caller who signed `request` when `session`'s cluster has IAM auth (throws AccessDeniedException when the
 * signature does not authenticate anyone); undefined when the cluster has none, since it ignores signatures.
 */
export function dataPlaneCaller(
  emulator: Emulator,
  session: GraphSession,
  request: RawRequest,
): DataPlaneCaller | undefined {
  if (!session.iamAuthentication) return undefined;
  const agent = request.headers["user-agent"];
  return {
    principal: authenticateCaller(emulator, session, request),
    ...(typeof agent === "string" ? { userAgent: agent } : {}),
  };
}

/**
 * How to authorize `caller`'s requests to `session`'s cluster: the one evaluation of identity policies for every
 * data-plane request, HTTP or WebSocket. A caller authenticated earlier (a WebSocket handshake) may meet a cluster
 * that turned IAM auth on since: with no caller, it is refused as an unsigned request is.
 */
export function callerAccess(
  emulator: Emulator,
  session: GraphSession,
  caller: DataPlaneCaller | undefined,
  secure: boolean,
): DataPlaneAccess {
  if (!session.iamAuthentication) return OPEN;
  const resource = `arn:aws:neptune-db:${session.region}:${session.accountId}:${session.clusterResourceId}/*`;
  const authorizeActions = (actionsOf: () => readonly string[], language?: QueryLanguage) => {
    if (!caller) throw accessDenied(MISSING_TOKEN);
    const actions = actionsOf();
    const { principal } = caller;
    const context = requestContext(emulator.clock.now(), session, caller, secure);
    if (language) context["neptune-db:QueryLanguage"] = language;
    for (const name of actions) {
      const action = `neptune-db:${name}`;
      // No resource policy on a cluster: another account's principal is never allowed (reference §6).
      const result =
        principal.accountId === session.accountId
          ? authorizeByIdentity(principal, action, resource, context)
          : ({ allowed: false, reason: "no-resource-policy-allows" } as const);
      if (!result.allowed) throw accessDenied(accessDeniedMessage(principal, action, resource, result));
    }
  };
  return {
    authorize(operation, input) {
      const actionsOf = ACTIONS[operation as keyof typeof ACTIONS];
      // Unreachable (the face refuses an operation it does not serve first); refused rather than let through.
      if (!actionsOf) throw accessDenied(`${operation} is not an action IAM database authentication can allow.`);
      authorizeActions(() => actionsOf(input, session), QUERY_LANGUAGE[operation as keyof typeof QUERY_LANGUAGE]);
    },
    authorizeActions,
  };
}

/**
 * The global condition keys Neptune's data actions support that Trident knows (docs iam-data-condition-keys.html);
 * the aws:Principal* keys come from the principal (policy engine). `aws:SecureTransport` says whether the data plane
 * serves TLS (`--data-plane-tls`).
 */
function requestContext(now: Date, session: GraphSession, caller: DataPlaneCaller, secure: boolean): ConditionContext {
  return {
    "aws:RequestedRegion": session.region,
    "aws:SecureTransport": secure,
    "aws:CurrentTime": now.toISOString(),
    "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
    ...(caller.userAgent !== undefined ? { "aws:UserAgent": caller.userAgent } : {}),
  };
}

/** The caller, from the request's SigV4 signature for `neptune-db` in the cluster's region. */
function authenticateCaller(emulator: Emulator, session: GraphSession, request: RawRequest): Principal {
  const signed = signedParts(request);
  const credentials = parseSigV4(signed);
  if ("kind" in credentials && credentials.kind === "missing") throw accessDenied(MISSING_TOKEN);
  let caller: { principal: Principal; region: string };
  try {
    caller = authenticate(emulator, signed, credentials, "json", NEPTUNEDATA.metadata.signingName!);
  } catch (error) {
    if (error instanceof AwsError) throw accessDenied(error.message);
    throw error;
  }
  // Signed for another region: the signature is for another endpoint (SigV4 scopes credentials to a region).
  if (caller.region !== session.region)
    throw accessDenied(`Credential should be scoped to a valid region, not '${caller.region}'. `);
  return caller.principal;
}
