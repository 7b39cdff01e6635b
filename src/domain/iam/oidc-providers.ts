import type { JSONWebKeySet } from "jose";
import type { Table } from "../../state/store.js";
import { addTags } from "./entities.js";
import { IamErrors } from "./errors.js";
import { IAM_REGION_SCOPE, type TagRecord } from "./records.js";
import type { IamState } from "./state.js";

/**
 * IAM OpenID Connect providers, one row per provider in the account's table, keyed by the provider's URL without
 * `https://` (its ARN's resource part, unique per account). The keys tokens are verified with come from the
 * provider's JWKS, which AWS fetches from the issuer; Trident has no outbound network, so the JWKS is registered
 * with the provider (the `trident:jwks` tag, oidc-jwks.ts).
 */
export const OIDC_PROVIDERS_TABLE = "iam.oidcProviders";

export interface OidcProviderRecord {
  Arn: string;
  /** Without `https://`: `token.actions.githubusercontent.com`, `example.com/path`. */
  Url: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: number;
  tags: TagRecord[];
  /** The provider's signing keys, registered through Trident's extension; none: no token verifies. */
  jwks?: JSONWebKeySet;
}

export function oidcProviders(iam: IamState, accountId: string): Table<OidcProviderRecord> {
  return iam.store.table(OIDC_PROVIDERS_TABLE, accountId, IAM_REGION_SCOPE);
}

/** The provider an ARN names; NoSuchEntity in AWS's words otherwise (moto's wording; AWS's matches it). */
export function oidcProviderFor(iam: IamState, accountId: string, arn: string): OidcProviderRecord {
  const prefix = `arn:aws:iam::${accountId}:oidc-provider/`;
  const provider = arn.startsWith(prefix) ? oidcProviders(iam, accountId).get(arn.slice(prefix.length)) : undefined;
  if (!provider) throw IamErrors.noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return provider;
}

/**
 * The provider's key from its URL: "must begin with https://" [IAM API Reference: CreateOpenIDConnectProvider,
 * Url]; host (and optional path), no query or fragment. Case is kept, as AWS keeps it.
 */
export function oidcProviderKey(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (
    !parsed ||
    parsed.protocol !== "https:" ||
    parsed.search !== "" ||
    parsed.hash !== "" ||
    !url.startsWith("https://")
  )
    throw IamErrors.invalidInput("Invalid Open ID Connect Provider URL");
  return url.slice("https://".length).replace(/\/$/, "");
}

export function createOidcProvider(
  iam: IamState,
  accountId: string,
  input: { Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: TagRecord[] },
  jwks: JSONWebKeySet | undefined,
): OidcProviderRecord {
  const key = oidcProviderKey(input.Url);
  const table = oidcProviders(iam, accountId);
  if (table.peek(key)) throw IamErrors.alreadyExists(`Provider with url ${input.Url} already exists.`);
  const record: OidcProviderRecord = {
    Arn: `arn:aws:iam::${accountId}:oidc-provider/${key}`,
    Url: key,
    ClientIDList: [...new Set(input.ClientIDList ?? [])],
    ThumbprintList: [...new Set(input.ThumbprintList ?? [])],
    CreateDate: iam.now(),
    tags: [],
    jwks,
  };
  addTags(record, input.Tags ?? []);
  table.put(key, record);
  return record;
}

/** The provider to verify a token from `issuer` with (the token's `iss`), in the role's account. */
export function oidcProviderForIssuer(
  iam: IamState,
  accountId: string,
  issuer: string,
): OidcProviderRecord | undefined {
  if (!issuer.startsWith("https://")) return undefined;
  return oidcProviders(iam, accountId).peek(issuer.slice("https://".length).replace(/\/$/, ""));
}
