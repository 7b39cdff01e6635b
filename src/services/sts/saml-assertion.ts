import { createHash } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { SignedXml } from "xml-crypto";
import { findSamlProvider, type SamlProviderRecord } from "../../domain/iam/saml-providers.js";
import type { IamState } from "../../domain/iam/state.js";
import { AwsError, modelError } from "../../protocol/errors.js";
import { stsModel } from "./shared.js";

const SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG = "http://www.w3.org/2000/09/xmldsig#";
const ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role";
const SESSION_NAME_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";

/** What a signed SAML assertion says, read only from the part the signature covers. */
export interface VerifiedAssertion {
  provider: SamlProviderRecord;
  issuer: string;
  subject: string;
  /** `persistent`, `transient`, or the NameID's whole Format URI [STS API Reference: AssumeRoleWithSAML]. */
  subjectType: string;
  /** The SubjectConfirmationData's Recipient: what `saml:aud` and the response's Audience hold. */
  recipient: string;
  roles: string[][];
  sessionName: string | undefined;
  /** BASE64(SHA1(issuer + account + "/" + provider name)) [STS API Reference: AssumeRoleWithSAML, NameQualifier]. */
  nameQualifier: string;
}

function invalid(message: string): AwsError {
  return modelError(stsModel, "InvalidIdentityTokenException", message);
}

function parse(xml: string): Document | undefined {
  try {
    return new DOMParser({ onError: () => undefined }).parseFromString(xml, "text/xml") as unknown as Document;
  } catch {
    return undefined;
  }
}

function first(parent: Document | Element, name: string, ns = SAML): Element | undefined {
  return parent.getElementsByTagNameNS(ns, name).item(0) ?? undefined;
}

/**
 * Checks a SAML response as STS does, in this order: it is a SAML response; the provider (`PrincipalArn`) is an IAM
 * SAML provider of the role's account; a signature on it verifies with one of the certificates of the provider's
 * metadata (xml-crypto), and everything after is read from what that signature covers, never from the rest of the
 * document (so wrapping another assertion around a signed one changes nothing); it has not expired. The wordings
 * are *decided* where AWS's are not documented.
 */
export function verifySamlAssertion(
  iam: IamState,
  accountId: string,
  principalArn: string,
  samlAssertion: string,
  now: Date,
): VerifiedAssertion {
  const xml = Buffer.from(samlAssertion, "base64").toString("utf8");
  const document = parse(xml);
  if (!document || !first(document, "Assertion")) throw invalid("Invalid SAML response");
  const provider = findSamlProvider(iam, accountId, principalArn);
  if (!provider) throw invalid(`No SAML provider found in your account for ${principalArn}`);

  const assertion = signedAssertion(document, xml, provider);
  if (!assertion) throw invalid("Response signature invalid");
  const conditions = first(assertion, "Conditions");
  const confirmation = first(assertion, "SubjectConfirmationData");
  const ends = [conditions?.getAttribute("NotOnOrAfter"), confirmation?.getAttribute("NotOnOrAfter")]
    .filter((value): value is string => Boolean(value))
    .map((value) => Date.parse(value));
  if (ends.some((end) => !(now.getTime() < end))) {
    throw modelError(
      stsModel,
      "ExpiredTokenException",
      "The web identity token that was passed is expired or is not valid. Get a new identity token from the identity provider and then retry the request.",
    );
  }
  const issuer = (first(assertion, "Issuer")?.textContent ?? "").trim();
  const nameId = first(assertion, "NameID");
  const format = nameId?.getAttribute("Format") ?? "";
  const short = /:nameid-format:(persistent|transient)$/.exec(format);
  return {
    provider,
    issuer,
    subject: (nameId?.textContent ?? "").trim(),
    subjectType: short ? short[1]! : format,
    recipient: confirmation?.getAttribute("Recipient") ?? "",
    roles: attributeValues(assertion, ROLE_ATTRIBUTE).map((pair) => pair.split(",").map((arn) => arn.trim())),
    sessionName: attributeValues(assertion, SESSION_NAME_ATTRIBUTE)[0],
    nameQualifier: createHash("sha1")
      .update(issuer + provider.Arn.split(":")[4] + "/" + provider.Name)
      .digest("base64"),
  };
}

/** The Assertion a verified signature covers (itself, or the Response holding it), parsed from the signed bytes. */
function signedAssertion(document: Document, xml: string, provider: SamlProviderRecord): Element | undefined {
  const signatures = document.getElementsByTagNameNS(DSIG, "Signature");
  for (let i = 0; i < signatures.length; i++) {
    for (const certificate of provider.certificates) {
      const verifier = new SignedXml({ publicCert: pem(certificate) });
      let references: string[];
      try {
        verifier.loadSignature(signatures.item(i)!);
        if (!verifier.checkSignature(xml)) continue;
        references = verifier.getSignedReferences();
      } catch {
        continue;
      }
      for (const reference of references) {
        const signed = parse(reference);
        const root = signed?.documentElement;
        if (!root) continue;
        if (root.namespaceURI === SAML && root.localName === "Assertion") return root;
        const inner = first(root, "Assertion");
        if (inner) return inner;
      }
    }
  }
  return undefined;
}

function attributeValues(assertion: Element, name: string): string[] {
  const attributes = assertion.getElementsByTagNameNS(SAML, "Attribute");
  const values: string[] = [];
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes.item(i)!;
    if (attribute.getAttribute("Name") !== name) continue;
    const found = attribute.getElementsByTagNameNS(SAML, "AttributeValue");
    for (let j = 0; j < found.length; j++) values.push((found.item(j)!.textContent ?? "").trim());
  }
  return values;
}

function pem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}
