import type { ClusterGraphs } from "./domain/neptune/data-plane/cluster-graphs.js";
import type { KmsViaService } from "./domain/kms/via-service.js";

/**
 * The two parts of an emulator that carry the most code: KMS as services use it (every key type's cryptography)
 * and the clusters' live graphs (the graph engine). They are imported before the first request of a service that
 * uses them (Neptune: services/registry.ts), of Trident's own endpoints (server/pipeline.ts) or of the data plane
 * (dataplane/on-demand.ts), so that a fresh server answers its first request sooner and idles in less memory
 * (bench/scale.ts). Code that reaches an emulator's parts without such a request awaits loadEmulatorParts() first.
 */
export interface EmulatorParts {
  KmsViaService: typeof KmsViaService;
  ClusterGraphs: typeof ClusterGraphs;
}

let parts: EmulatorParts | undefined;
let loading: Promise<EmulatorParts> | undefined;

export function loadEmulatorParts(): Promise<EmulatorParts> {
  loading ??= Promise.all([
    import("./domain/kms/via-service.js"),
    import("./domain/neptune/data-plane/cluster-graphs.js"),
  ])
    .then(([kms, graphs]) => (parts = { KmsViaService: kms.KmsViaService, ClusterGraphs: graphs.ClusterGraphs }))
    .catch((error: unknown) => {
      loading = undefined; // tried again by the next request that needs them
      throw error;
    });
  return loading;
}

/** The parts, once loaded; a use before any request awaited them is a defect of the caller. */
export function emulatorParts(): EmulatorParts {
  if (!parts) throw new Error("the emulator's KMS and graph parts are used before loadEmulatorParts() settled");
  return parts;
}
