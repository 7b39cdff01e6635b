import type { Principal } from "../auth/principal.js";
import type { Emulator } from "../emulator.js";
import type { ServiceModel, ServiceName } from "../protocol/model.js";
import type { ValidationStyle } from "../protocol/validate.js";

/** What a handler knows about the request besides its input. */
export interface RequestContext {
  requestId: string;
  /** The authenticated caller; nothing below the auth stage reads identity from anywhere else. */
  principal: Principal;
  /** The region of the request's SigV4 credential scope. */
  region: string;
  /** The time the request arrived, from the emulator's one clock. */
  now: Date;
  emulator: Emulator;
  /** What the service's `takeExtensions` took out of the input (ServiceDefinition). */
  extensions?: Record<string, string>;
  /** What the service's `prepare` for the operation made before the store's turn (ServiceDefinition). */
  prepared?: unknown;
}

// Handlers are typed per operation from the generated operation maps (src/generated/*.ts).
export type HandlerMap<Ops extends { [Op in keyof Ops]: { input: unknown; output: unknown } }> = {
  [Op in keyof Ops]?: (input: Ops[Op]["input"], ctx: RequestContext) => Ops[Op]["output"] | Promise<Ops[Op]["output"]>;
};

export type AnyHandler = (input: never, ctx: RequestContext) => unknown;

/** Work done before the store's turn per operation (ServiceDefinition.prepare), typed like the handlers. */
export type PrepareMap<Ops extends { [Op in keyof Ops]: { input: unknown } }> = {
  [Op in keyof Ops]?: (input: Ops[Op]["input"]) => Promise<unknown>;
};

export type AnyPrepare = (input: never) => Promise<unknown>;

export interface ServiceDefinition {
  name: ServiceName;
  /** The name used in messages and logs, e.g. "Neptune". */
  displayName: string;
  model: ServiceModel;
  validation: ValidationStyle;
  handlers: Record<string, AnyHandler | undefined>;
  /**
   * Emulator extensions that ride in AWS members (LocalStack's `_custom_key_material_` tag on CreateKey): taken out
   * of the parsed input before the model validates it, so AWS's constraints apply to what AWS would see, and handed
   * to the handler as `ctx.extensions`.
   */
  takeExtensions?: (operation: string, input: Record<string, unknown>) => Record<string, string> | undefined;
  /**
   * Authorizes a call by the caller's identity policies before its handler runs, for services whose handlers do
   * not decide access themselves (Neptune: services/neptune/authorize.ts). KMS, STS and IAM decide in their own
   * handlers, where the resource policy is known.
   */
  authorize?: (operation: string, input: Record<string, unknown>, ctx: RequestContext) => void;
  /**
   * Slow work an operation needs that touches no state (generating an RSA key pair: domain/kms/key-generation.ts),
   * done asynchronously before the store's one serial turn so that other requests are answered meanwhile; it gets
   * the validated input, and its result reaches the handler as `ctx.prepared`. It runs before authentication, so
   * it must reveal nothing and keep nothing: a refused request drops what it made.
   */
  prepare?: Record<string, AnyPrepare | undefined>;
}

/**
 * Handlers for operations a service refuses on purpose: each operation of `table` answers the error that `refusal`
 * makes from its reason (the table is also what docs/coverage.md lists as out of scope).
 */
export function refusingHandlers(
  table: Readonly<Record<string, string | undefined>>,
  refusal: (operation: string, reason: string) => Error,
): Record<string, () => never> {
  return Object.fromEntries(
    Object.entries(table).map(([operation, reason]) => [
      operation,
      () => {
        throw refusal(operation, reason ?? "");
      },
    ]),
  );
}

/**
 * A service as the emulator holds it from the start: what routing and error envelopes need (its name and model,
 * read on first use), and `load`, which brings in its handlers and the domain code under them on the service's
 * first request (services/registry.ts), so a fresh server loads only what it answers.
 */
export interface ServiceEntry {
  readonly name: ServiceName;
  readonly displayName: string;
  readonly model: ServiceModel;
  /** The definition once loaded (so a request to a loaded service takes its route without a promise). */
  readonly loaded: ServiceDefinition | undefined;
  load(): Promise<ServiceDefinition>;
}
