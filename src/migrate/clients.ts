import { IAMClient, type IAMClientConfig } from "@aws-sdk/client-iam";
import { KMSClient, type KMSClientConfig } from "@aws-sdk/client-kms";
import { NeptuneClient, type NeptuneClientConfig } from "@aws-sdk/client-neptune";
import { NeptunedataClient, type NeptunedataClientConfig } from "@aws-sdk/client-neptunedata";
import { STSClient, type STSClientConfig } from "@aws-sdk/client-sts";
import type { SideConfig } from "./types.js";

/**
 * SDK v3 clients for one side of the migration. The same code talks to real AWS and to the local one: the only
 * differences are the credentials (a profile, explicit keys, or the SDK's default chain) and an optional
 * endpoint. Nothing here knows about the emulator; tests and the demo may pass an in-process `requestHandler`.
 */
export interface SideClients {
  sts: STSClient;
  kms: KMSClient;
  neptune: NeptuneClient;
  /** For plan's iam:SimulatePrincipalPolicy of the caller's own principal (permissions-simulate.ts). */
  iam: IAMClient;
  /** The endpoint and the profile, when given; for messages. */
  endpoint?: string;
  profile?: string;
}

export interface ClientOptions {
  /** The source's Region, and the target's unless `targetRegion` is another. */
  region: string;
  targetRegion?: string;
  /** An SDK request handler (for example an in-process one); default: the SDK's HTTP handler. */
  requestHandler?: NeptuneClientConfig["requestHandler"];
  maxAttempts?: number;
}

type SharedConfig = NeptuneClientConfig & KMSClientConfig & STSClientConfig;

/** One side's credentials (keys, a profile, or the default chain), region, handler and retries, for any client. */
function sideConfig(side: SideConfig, options: ClientOptions): SharedConfig {
  const config: SharedConfig = { region: options.region };
  if (side.accessKeyId && side.secretAccessKey) {
    config.credentials = {
      accessKeyId: side.accessKeyId,
      secretAccessKey: side.secretAccessKey,
      ...(side.sessionToken ? { sessionToken: side.sessionToken } : {}),
    };
  } else if (side.profile) {
    // The client's own `profile`: the shared config/credentials files' profile, as AWS_PROFILE would pick it.
    config.profile = side.profile;
  }
  if (options.requestHandler) config.requestHandler = options.requestHandler;
  if (options.maxAttempts !== undefined) config.maxAttempts = options.maxAttempts;
  return config;
}

export function createSideClients(side: SideConfig, options: ClientOptions): SideClients {
  const config = sideConfig(side, options);
  if (side.endpoint) config.endpoint = side.endpoint;
  return {
    sts: new STSClient(config as STSClientConfig),
    kms: new KMSClient(config as KMSClientConfig),
    neptune: new NeptuneClient(config),
    iam: new IAMClient(config as IAMClientConfig),
    endpoint: side.endpoint,
    ...(config.profile ? { profile: config.profile } : {}),
  };
}

/**
 * A client of one cluster's data plane (`@aws-sdk/client-neptunedata`) with the side's credentials: it signs with
 * SigV4 for service `neptune-db`, as Neptune's IAM database authentication wants (and as a cluster without it
 * ignores). `endpoint` is the cluster's own (`https://<Endpoint>:<Port>` on AWS). The control plane's in-process
 * request handler does not apply: data planes are real listeners.
 */
export function createDataClient(
  side: SideConfig,
  endpoint: string,
  options: Omit<ClientOptions, "requestHandler">,
): NeptunedataClient {
  return new NeptunedataClient({ ...(sideConfig(side, options) as NeptunedataClientConfig), endpoint });
}

export interface MigrationClients {
  source: SideClients;
  /** The target account in the Region its cluster is restored in. */
  target: SideClients;
  /** Across Regions: the target account in the source's Region, where it copies the shared snapshot first (R12). */
  transit?: SideClients;
}

export function createMigrationClients(
  source: SideConfig,
  target: SideConfig,
  options: ClientOptions,
): MigrationClients {
  const targetRegion = options.targetRegion ?? options.region;
  return {
    source: createSideClients(source, options),
    target: createSideClients(target, { ...options, region: targetRegion }),
    ...(targetRegion !== options.region ? { transit: createSideClients(target, options) } : {}),
  };
}

/** The target's clients in the source's Region: the transit ones across Regions, else the target's own. */
export const targetInSourceRegion = (clients: MigrationClients): SideClients => clients.transit ?? clients.target;

/** Where a run gets its clients: ready-made ones (the caller destroys them), or ones made for the inputs. */
export interface ClientSource {
  inputs: { source: SideConfig; target: SideConfig; region: string; targetRegion?: string };
  /** Region (default: the inputs'), an in-process request handler for tests and the demo, retries. */
  clientOptions?: Partial<ClientOptions>;
  clients?: MigrationClients;
}

/** Runs `body` with the run's clients; clients made here are destroyed when it settles. */
export function withClients<T>(from: ClientSource, body: (clients: MigrationClients) => Promise<T>): Promise<T> {
  if (from.clients) return body(from.clients);
  const clients = createMigrationClients(from.inputs.source, from.inputs.target, {
    region: from.inputs.region,
    ...(from.inputs.targetRegion ? { targetRegion: from.inputs.targetRegion } : {}),
    ...from.clientOptions,
  });
  return body(clients).finally(() => destroyClients(clients));
}

export function destroyClients(clients: MigrationClients): void {
  for (const side of [clients.source, clients.target, ...(clients.transit ? [clients.transit] : [])]) {
    side.sts.destroy();
    side.kms.destroy();
    side.neptune.destroy();
    side.iam.destroy();
  }
}
