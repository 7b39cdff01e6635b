import { loadModel, type ServiceModel, type ServiceName } from "../protocol/model.js";
import { dictionary } from "../util/dictionary.js";
import type { ServiceDefinition, ServiceEntry } from "./service.js";
import { loadEmulatorParts } from "../emulator-parts.js";

/** The services the emulator serves on its endpoint, by the name the pipeline routes to. */
export type ServedService = "neptune" | "kms" | "sts" | "iam";

/** What a service is besides its model: its handlers and hooks, imported when first asked for. */
type Parts = Omit<ServiceDefinition, "name" | "displayName" | "model">;

const PARTS: Record<ServedService, () => Promise<Parts>> = {
  sts: async () => ({
    validation: { code: "ValidationError", missingAsMissingParameter: false },
    handlers: dictionary((await import("./sts/index.js")).stsHandlers),
  }),
  kms: async () => {
    const [{ kmsHandlers }, { takeKmsExtensions }, { kmsPrepare }] = await Promise.all([
      import("./kms/index.js"),
      import("../domain/kms/custom-tags.js"),
      import("./kms/prepare.js"),
    ]);
    return {
      validation: { code: "ValidationException", missingAsMissingParameter: false },
      handlers: dictionary(kmsHandlers),
      takeExtensions: takeKmsExtensions,
      prepare: dictionary(kmsPrepare),
    };
  },
  iam: async () => {
    const [{ iamHandlers }, { takeIamExtensions }] = await Promise.all([
      import("./iam/index.js"),
      import("../domain/iam/oidc-jwks.js"),
    ]);
    return {
      validation: { code: "ValidationError", missingAsMissingParameter: false },
      handlers: dictionary(iamHandlers),
      takeExtensions: takeIamExtensions,
    };
  },
  neptune: async () => {
    // Neptune's handlers use the emulator's KMS and graph parts (emulator-parts.ts).
    const [{ neptuneHandlers }, { authorizeNeptune }] = await Promise.all([
      import("./neptune/index.js"),
      import("./neptune/authorize.js"),
      loadEmulatorParts(),
    ]);
    return {
      validation: { code: "ValidationError", missingAsMissingParameter: true },
      handlers: dictionary(neptuneHandlers),
      authorize: authorizeNeptune,
    };
  },
};

const DISPLAY_NAMES: Record<ServedService, string> = { sts: "STS", kms: "KMS", iam: "IAM", neptune: "Neptune" };

/** A service whose model is read and whose code is imported once, when first needed (shared by every emulator). */
function entry(name: ServedService): ServiceEntry {
  let loading: Promise<ServiceDefinition> | undefined;
  let loaded: ServiceDefinition | undefined;
  return {
    name: name as ServiceName,
    displayName: DISPLAY_NAMES[name],
    get model(): ServiceModel {
      return loadModel(name);
    },
    get loaded() {
      return loaded;
    },
    load() {
      loading ??= PARTS[name]().then(
        (parts) => (loaded = { name, displayName: DISPLAY_NAMES[name], model: loadModel(name), ...parts }),
        (error: unknown) => {
          loading = undefined; // tried again by the next request
          throw error;
        },
      );
      return loading;
    },
  };
}

/** Every served service, none loaded yet. */
export function serviceEntries(): Record<ServedService, ServiceEntry> {
  return { sts: entry("sts"), kms: entry("kms"), iam: entry("iam"), neptune: entry("neptune") };
}
