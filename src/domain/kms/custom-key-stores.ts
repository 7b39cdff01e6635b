import type {
  CreateCustomKeyStoreRequest,
  CreateKeyRequest,
  DescribeCustomKeyStoresRequest,
  DescribeCustomKeyStoresResponse,
} from "../../generated/kms.js";
import { authorizeIdentityAction } from "./access.js";
import type { KmsCall } from "./env.js";
import { kmsFault, validationException } from "./errors.js";

/**
 * Custom key stores (CloudHSM, external) are out of scope: Trident has no CloudHSM cluster and calls no external key
 * store proxy, so no store can be created and none exists. Each operation answers what KMS answers in exactly that
 * situation [M-KMS CreateCustomKeyStore, ConnectCustomKeyStore, …]: the cluster or proxy is not found, and any store
 * id is unknown. IAM decides first (these are IAM-only actions). Texts are the exceptions' model descriptions.
 */

const STORE_NOT_FOUND =
  "The request was rejected because KMS cannot find a custom key store with the specified key store name or ID.";

export function customKeyStoreNotFound() {
  return kmsFault("CustomKeyStoreNotFoundException", STORE_NOT_FOUND);
}

/** GenerateRandom's or CreateKey's CustomKeyStoreId names a store: none exists here. */
export function requireNoCustomKeyStore(customKeyStoreId: string | undefined): void {
  if (customKeyStoreId !== undefined) throw customKeyStoreNotFound();
}

/**
 * CreateKey's Origin against its key store [M-KMS CreateKey Origin, CustomKeyStoreId, XksKeyId]: AWS_CLOUDHSM and
 * EXTERNAL_KEY_STORE need a CustomKeyStoreId, XksKeyId goes only with EXTERNAL_KEY_STORE, and a named store is not
 * found. *Decided* texts for the missing parameters.
 */
export function checkKeyStoreOrigin(input: CreateKeyRequest): void {
  const inStore = input.Origin === "AWS_CLOUDHSM" || input.Origin === "EXTERNAL_KEY_STORE";
  if (input.XksKeyId !== undefined && input.Origin !== "EXTERNAL_KEY_STORE") {
    throw validationException("XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.");
  }
  if (inStore && input.CustomKeyStoreId === undefined) {
    throw validationException(`CustomKeyStoreId is required when Origin is ${input.Origin}.`);
  }
  requireNoCustomKeyStore(input.CustomKeyStoreId);
}

/**
 * CreateCustomKeyStore: a CloudHSM key store needs its cluster, which does not exist (CloudHsmClusterNotFoundException);
 * an external key store needs its proxy, which KMS must reach when the store is created: through a VPC endpoint
 * service that does not exist here (XksProxyVpcEndpointServiceNotFoundException), or a public endpoint Trident
 * does not call (XksProxyUriUnreachableException) [M-KMS CreateCustomKeyStore errors].
 */
export function createCustomKeyStore(call: KmsCall, input: CreateCustomKeyStoreRequest): never {
  authorizeIdentityAction(call, "kms:CreateCustomKeyStore");
  if ((input.CustomKeyStoreType ?? "AWS_CLOUDHSM") === "AWS_CLOUDHSM") {
    const missing = (["CloudHsmClusterId", "TrustAnchorCertificate", "KeyStorePassword"] as const).filter(
      (member) => input[member] === undefined,
    );
    if (missing.length > 0) {
      throw validationException(`A CloudHSM key store needs ${missing.join(", ")}.`);
    }
    throw kmsFault(
      "CloudHsmClusterNotFoundException",
      "The request was rejected because KMS cannot find the CloudHSM cluster with the specified cluster ID. Retry the request with a different cluster ID.",
    );
  }
  if (input.XksProxyConnectivity === "VPC_ENDPOINT_SERVICE") {
    throw kmsFault(
      "XksProxyVpcEndpointServiceNotFoundException",
      "The request was rejected because KMS could not find the specified VPC endpoint service. Use DescribeCustomKeyStores to verify the VPC endpoint service name for the external key store.",
    );
  }
  throw kmsFault(
    "XksProxyUriUnreachableException",
    "KMS was unable to reach the specified XksProxyUriPath. The path must be reachable before you create the external key store or update its settings.",
  );
}

/** Connect, Disconnect, Delete and Update name a store by id: none exists. */
export function unknownCustomKeyStore(call: KmsCall, action: string): never {
  authorizeIdentityAction(call, action);
  throw customKeyStoreNotFound();
}

/** DescribeCustomKeyStores: no stores; naming one (by id or name) is CustomKeyStoreNotFoundException. */
export function describeCustomKeyStores(
  call: KmsCall,
  input: DescribeCustomKeyStoresRequest,
): DescribeCustomKeyStoresResponse {
  authorizeIdentityAction(call, "kms:DescribeCustomKeyStores");
  if (input.CustomKeyStoreId !== undefined || input.CustomKeyStoreName !== undefined) throw customKeyStoreNotFound();
  return { CustomKeyStores: [], Truncated: false };
}
