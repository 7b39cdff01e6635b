import { randomUUID } from "node:crypto";
import { IdentityRegistry } from "./auth/identities.js";
import { defaultConfig } from "./config/defaults.js";
import type { TridentConfig } from "./config/config.js";
import { AuthorizationMessages } from "./domain/sts/authorization-messages.js";
import { SystemClock, type Clock } from "./state/clock.js";
import { DELAY_PROFILES, type Delays } from "./state/delays.js";
import type { KmsServiceAccess } from "./domain/kms/service-access.js";
import type { KmsViaService } from "./domain/kms/via-service.js";
import type { KmsSeed } from "./domain/kms/seeding.js";
import type { ClusterGraphs } from "./domain/neptune/data-plane/cluster-graphs.js";
import { DataPlanePorts, DEFAULT_DATA_PLANE, type DataPlaneConfig } from "./domain/neptune/data-plane/ports.js";
import type { DataPlaneWorld } from "./domain/neptune/data-plane/session.js";
import { EndpointRotation } from "./domain/neptune/data-plane/endpoint-routing.js";
import { MemoryStore, type Store } from "./state/store.js";
import { serviceEntries, type ServedService } from "./services/registry.js";
import type { ServiceEntry } from "./services/service.js";
import { ConsoleService, type ConsoleOptions } from "./console/service.js";
import { emulatorParts } from "./emulator-parts.js";

/**
 * The default account of relaxed auth: LocalStack's 000000000000. *Decided*: it is not a "known" account
 * (IdentityRegistry.isKnownAccount) unless --config declares it: like any account named by a 12-digit key under
 * relaxed auth, its users and roles cannot be judged to exist, so a key policy naming one is accepted (K2 applies to
 * known accounts only), as dummy-key suites expect. Once IAM's API holds roles, their existence can be judged.
 */
export const DEFAULT_ACCOUNT = "000000000000";

export interface EmulatorOptions {
  config?: TridentConfig;
  clock?: Clock;
  /**
   * The clock that SigV4 skew is checked against. Clients sign with the real time, so this stays the system
   * clock even when tests drive the domain `clock` by hand (a manual clock a day ahead must not expire every
   * signature). Tests of skew itself sign with a chosen date instead.
   */
  signatureClock?: Clock;
  store?: Store;
  /** How long lifecycle transitions take (default: instant). */
  delays?: Delays;
  /** Relaxed auth: a 12-digit access key id names the account's root and signatures are not checked. */
  relaxedAuth?: boolean;
  /**
   * Relaxed auth: the account of any other unknown access key and of unsigned requests (default 000000000000, as
   * LocalStack's); also where a KMS seed file's keys go unless it names an account (domain/kms/seeding.ts).
   */
  defaultAccount?: string;
  /** KMS fixtures (--seed): put in at start by serve, and again after a reset that clears KMS. */
  kmsSeeds?: readonly KmsSeed[];
  /** Where clusters' data planes listen (addresses and port range). */
  dataPlane?: Partial<DataPlaneConfig>;
  /** The console at /_trident/console (src/console): off unless given (serve turns it on unless --no-console). */
  console?: ConsoleOptions;
}

/**
 * The local AWS: one clock, one store, the identities, and the services on top. The HTTP server and the
 * in-process handler both hand requests to `handleRequest` (server/pipeline.ts) with an Emulator.
 */
export class Emulator {
  readonly clock: Clock;
  readonly signatureClock: Clock;
  readonly store: Store;
  readonly identities: IdentityRegistry;
  readonly relaxedAuth: boolean;
  readonly defaultAccount: string;
  readonly kmsSeeds: readonly KmsSeed[];
  readonly delays: Delays;
  #kms: KmsViaService | undefined;
  #graphs: ClusterGraphs | undefined;
  /** The services, each loaded on its first request (services/registry.ts). */
  readonly services: Record<ServedService, ServiceEntry>;
  /** The clusters' data planes: the port book and the live graphs (served by src/dataplane). */
  readonly dataPlane: DataPlaneWorld;
  /** Seals and opens the authorization messages that DecodeAuthorizationMessage decodes. */
  readonly authorizationMessages = new AuthorizationMessages();
  /** Changes on every start, so a client can tell that a restart happened (health). */
  readonly bootId = randomUUID();
  readonly startedAt: Date;
  /** The console's settings and live feed while it is on; undefined when off. */
  readonly console: ConsoleService | undefined;

  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? new SystemClock();
    // Both on the system's time unless told otherwise: then one clock, read once per request (authenticate.ts).
    this.signatureClock = options.signatureClock ?? (options.clock === undefined ? this.clock : new SystemClock());
    this.store = options.store ?? new MemoryStore();
    this.identities = new IdentityRegistry(options.config ?? defaultConfig(), this.clock, this.store);
    this.startedAt = this.clock.now();
    this.relaxedAuth = options.relaxedAuth ?? false;
    this.defaultAccount = options.defaultAccount ?? DEFAULT_ACCOUNT;
    this.kmsSeeds = options.kmsSeeds ?? [];
    this.delays = options.delays ?? DELAY_PROFILES.instant;
    this.console = options.console ? new ConsoleService(this.store, options.console) : undefined;
    // KMS as services use it and the live graphs are made on first use, from code imported before the first
    // request that needs them (emulator-parts.ts).
    const kms = () => this.kms;
    const graphs = () => (this.#graphs ??= new (emulatorParts().ClusterGraphs)(this.clock));
    this.dataPlane = {
      store: this.store,
      clock: this.clock,
      delays: this.delays,
      get kms() {
        return kms();
      },
      ports: new DataPlanePorts({ ...DEFAULT_DATA_PLANE, ...options.dataPlane }),
      get graphs() {
        return graphs();
      },
      rotation: new EndpointRotation(),
    };
    this.services = serviceEntries();
  }

  /** KMS as other services use it on a caller's behalf (set up by the KMS domain). */
  get kms(): KmsServiceAccess {
    this.#kms ??= new (emulatorParts().KmsViaService)({
      store: this.store,
      clock: this.clock,
      identities: this.identities,
    });
    return this.#kms;
  }
}
