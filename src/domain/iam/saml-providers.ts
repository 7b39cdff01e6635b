import { randomUUID } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import type { Table } from "../../state/store.js";
import { addTags } from "./entities.js";
import { IamErrors } from "./errors.js";
import { IAM_REGION_SCOPE, type TagRecord } from "./records.js";
import type { IamState } from "./state.js";

/** IAM SAML providers, one row per provider in the account's table, keyed by the lower-cased name. */
export const SAML_PROVIDERS_TABLE = "iam.samlProviders";

export interface SamlProviderRecord {
  Arn: string;
  Name: string;
  SAMLProviderUUID: string;
  SAMLMetadataDocument: string;
  /** The IdP's signing certificates from the metadata, base64 DER: an assertion must be signed by one of them. */
  certificates: string[];
  CreateDate: number;
  ValidUntil: number;
  tags: TagRecord[];
}

export function samlProviders(iam: IamState, accountId: string): Table<SamlProviderRecord> {
  return iam.store.table(SAML_PROVIDERS_TABLE, accountId, IAM_REGION_SCOPE);
}

/** The provider an ARN names in `accountId`, or undefined. */
export function findSamlProvider(iam: IamState, accountId: string, arn: string): SamlProviderRecord | undefined {
  const prefix = `arn:aws:iam::${accountId}:saml-provider/`;
  if (!arn.startsWith(prefix)) return undefined;
  const provider = samlProviders(iam, accountId).get(arn.slice(prefix.length).toLowerCase());
  return provider?.Arn === arn ? provider : undefined;
}

/** *Decided* wording for a missing provider (AWS's is not documented). */
export function samlProviderFor(iam: IamState, accountId: string, arn: string): SamlProviderRecord {
  const provider = findSamlProvider(iam, accountId, arn);
  if (!provider) throw IamErrors.noSuchEntity(`SAMLProvider not found for arn ${arn}`);
  return provider;
}

/**
 * The signing certificates of an IdP's metadata document (`<KeyDescriptor use="signing">`, or without `use`).
 * A document that is not XML or names no certificate is InvalidInput, as AWS refuses metadata it cannot use
 * (*decided* wording).
 */
export function metadataCertificates(document: string): string[] {
  const invalid = () => IamErrors.invalidInput("Could not parse metadata");
  let parsed: Document;
  try {
    parsed = new DOMParser({ onError: () => undefined }).parseFromString(document, "text/xml") as unknown as Document;
  } catch {
    throw invalid();
  }
  const certificates: string[] = [];
  const descriptors = parsed.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "KeyDescriptor");
  for (let i = 0; i < descriptors.length; i++) {
    const descriptor = descriptors.item(i)!;
    const use = descriptor.getAttribute("use");
    if (use && use !== "signing") continue;
    const found = descriptor.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "X509Certificate");
    for (let j = 0; j < found.length; j++) certificates.push((found.item(j)!.textContent ?? "").replace(/\s+/g, ""));
  }
  if (certificates.length === 0 || certificates.some((certificate) => certificate === "")) throw invalid();
  return certificates;
}

/** A year after creation, as AWS sets ValidUntil when the metadata does not say (*decided*: always). */
const VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;

export function createSamlProvider(
  iam: IamState,
  accountId: string,
  input: { Name: string; SAMLMetadataDocument: string; Tags?: TagRecord[] },
): SamlProviderRecord {
  const table = samlProviders(iam, accountId);
  const key = input.Name.toLowerCase();
  if (table.peek(key)) throw IamErrors.alreadyExists(`SAMLProvider ${input.Name} already exists.`);
  const now = iam.now();
  const record: SamlProviderRecord = {
    Arn: `arn:aws:iam::${accountId}:saml-provider/${input.Name}`,
    Name: input.Name,
    SAMLProviderUUID: randomUUID(),
    SAMLMetadataDocument: input.SAMLMetadataDocument,
    certificates: metadataCertificates(input.SAMLMetadataDocument),
    CreateDate: now,
    ValidUntil: now + VALIDITY_MS,
    tags: [],
  };
  addTags(record, input.Tags ?? []);
  table.put(key, record);
  return record;
}
