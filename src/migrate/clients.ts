import { KMSClient, type KMSClientConfig } from "@aws-sdk/client-kms";
import { NeptuneClient, type NeptuneClientConfig } from "@aws-sdk/client-neptune";
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
  /** The endpoint and the profile, when given; for messages. */
  endpoint?: string;
  profile?: string;
}

export interface ClientOptions {
  region: string;
  /** An SDK request handler (for example an in-process one); default: the SDK's HTTP handler. */
  requestHandler?: NeptuneClientConfig["requestHandler"];
  maxAttempts?: number;
}

export function createSideClients(side: SideConfig, options: ClientOptions): SideClients {
  const config: NeptuneClientConfig & KMSClientConfig & STSClientConfig = { region: options.region };
  if (side.endpoint) config.endpoint = side.endpoint;
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
  return {
    sts: new STSClient(config as STSClientConfig),
    kms: new KMSClient(config as KMSClientConfig),
    neptune: new NeptuneClient(config),
    endpoint: side.endpoint,
    ...(config.profile ? { profile: config.profile } : {}),
  };
}

export interface MigrationClients {
  source: SideClients;
  target: SideClients;
}

export function createMigrationClients(
  source: SideConfig,
  target: SideConfig,
  options: ClientOptions,
): MigrationClients {
  return { source: createSideClients(source, options), target: createSideClients(target, options) };
}

/** Where a run gets its clients: ready-made ones (the caller destroys them), or ones made for the inputs. */
export interface ClientSource {
  inputs: { source: SideConfig; target: SideConfig; region: string };
  /** Region (default: the inputs'), an in-process request handler for tests and the demo, retries. */
  clientOptions?: Partial<ClientOptions>;
  clients?: MigrationClients;
}

/** Runs `body` with the run's clients; clients made here are destroyed when it settles. */
export function withClients<T>(from: ClientSource, body: (clients: MigrationClients) => Promise<T>): Promise<T> {
  if (from.clients) return body(from.clients);
  const clients = createMigrationClients(from.inputs.source, from.inputs.target, {
    region: from.inputs.region,
    ...from.clientOptions,
  });
  return body(clients).finally(() => destroyClients(clients));
}

export function destroyClients(clients: MigrationClients): void {
  for (const side of [clients.source, clients.target]) {
    side.sts.destroy();
    side.kms.destroy();
    side.neptune.destroy();
  }
}
