import "reflect-metadata";
import assert from "node:assert/strict";
import { createHash, webcrypto } from "node:crypto";
import { describe, test } from "node:test";
import * as x509 from "@peculiar/x509";
import {
  CreateRoleCommand,
  CreateSAMLProviderCommand,
  DeleteSAMLProviderCommand,
  GetSAMLProviderCommand,
  ListSAMLProvidersCommand,
} from "@aws-sdk/client-iam";
import { AssumeRoleWithSAMLCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { SignedXml } from "xml-crypto";
import { A, rejection } from "../helpers/harness.js";
import { federatedTrust, iamWorld } from "../iam/fixture.js";

x509.cryptoProvider.set(webcrypto as Crypto);

const ISSUER = "https://idp.example.com/saml";
const PROVIDER_ARN = `arn:aws:iam::${A}:saml-provider/corp`;
const ROLE_ARN = `arn:aws:iam::${A}:role/saml-role`;
const RECIPIENT = "https://signin.aws.amazon.com/saml";
const ALGORITHM = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** A signing key and its self-signed certificate, as an IdP has. */
async function identityProviderKeys(now: Date) {
  const keys = (await webcrypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=idp.example.com",
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    signingAlgorithm: ALGORITHM,
    keys,
  });
  const pkcs8 = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { privateKey: x509.PemConverter.encode(pkcs8, "PRIVATE KEY"), certificate: cert.toString("base64") };
}

function metadata(certificate: string): string {
  return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${ISSUER}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}

interface AssertionOptions {
  roles?: string;
  sessionName?: string;
  recipient?: string;
  notOnOrAfter: Date;
}

/** A SAML response whose assertion is signed (enveloped, exclusive c14n, RSA-SHA256) with `privateKey`. */
function samlResponse(privateKey: string, options: AssertionOptions): string {
  const until = options.notOnOrAfter.toISOString();
  const attribute = (name: string, value: string | undefined) =>
    value === undefined
      ? ""
      : `<saml:Attribute Name="${name}"><saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`;
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="${until}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${ISSUER}</saml:Issuer><saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="${until}"><saml:Issuer>${ISSUER}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">alice</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${until}" Recipient="${options.recipient ?? RECIPIENT}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>urn:amazon:webservices</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AttributeStatement>${attribute("https://aws.amazon.com/SAML/Attributes/Role", options.roles ?? `${ROLE_ARN},${PROVIDER_ARN}`)}${attribute("https://aws.amazon.com/SAML/Attributes/RoleSessionName", options.sessionName)}</saml:AttributeStatement></saml:Assertion></samlp:Response>`;
  const signer = new SignedXml({
    privateKey,
    signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
  });
  signer.addReference({
    xpath: "//*[local-name(.)='Assertion']",
    digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
  });
  signer.computeSignature(xml, {
    location: { reference: "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']", action: "after" },
  });
  return signer.getSignedXml();
}

/** A SAML provider with the IdP's certificate, a role trusting it for assertions presented to AWS's sign-in. */
async function world() {
  const env = iamWorld();
  const idp = await identityProviderKeys(env.clock.now());
  await env.admin.iam.send(
    new CreateSAMLProviderCommand({ Name: "corp", SAMLMetadataDocument: metadata(idp.certificate) }),
  );
  const trust = federatedTrust(PROVIDER_ARN, "sts:AssumeRoleWithSAML", { StringEquals: { "SAML:aud": RECIPIENT } });
  await env.admin.iam.send(new CreateRoleCommand({ RoleName: "saml-role", AssumeRolePolicyDocument: trust }));
  const later = new Date(env.clock.now().getTime() + 300_000);
  const response = (options: Partial<AssertionOptions> = {}, key = idp.privateKey) =>
    samlResponse(key, { sessionName: "alice@example.com", notOnOrAfter: later, ...options });
  const assume = (xml: string) =>
    env.unsignedSts.send(
      new AssumeRoleWithSAMLCommand({
        RoleArn: ROLE_ARN,
        PrincipalArn: PROVIDER_ARN,
        SAMLAssertion: Buffer.from(xml).toString("base64"),
      }),
    );
  return { env, response, assume };
}

describe("STS AssumeRoleWithSAML against IAM SAML providers", () => {
  test("an assertion signed by the provider's certificate assumes the role", async () => {
    const { env, response, assume } = await world();
    const answer = await assume(response());
    assert.equal(answer.Subject, "alice");
    assert.equal(answer.SubjectType, "persistent");
    assert.equal(answer.Issuer, ISSUER);
    assert.equal(answer.Audience, RECIPIENT);
    assert.equal(answer.NameQualifier, createHash("sha1").update(`${ISSUER}${A}/corp`).digest("base64"));
    assert.equal(answer.AssumedRoleUser!.Arn, `arn:aws:sts::${A}:assumed-role/saml-role/alice@example.com`);
    const session = env.clients({
      accessKeyId: answer.Credentials!.AccessKeyId!,
      secretAccessKey: answer.Credentials!.SecretAccessKey!,
      sessionToken: answer.Credentials!.SessionToken!,
    });
    assert.equal(
      (await session.sts.send(new GetCallerIdentityCommand({}))).Arn,
      `arn:aws:sts::${A}:assumed-role/saml-role/alice@example.com`,
    );
  });

  test("another key, a tampered assertion, expiry, a role not listed, a condition not met: refused", async () => {
    const { env, response, assume } = await world();
    const other = await identityProviderKeys(env.clock.now());
    const refusals: [string, string, string, string][] = [
      ["another key", response({}, other.privateKey), "InvalidIdentityTokenException", "Response signature invalid"],
      [
        "tampered",
        response().replace("alice@example.com", "mallory@example.com"),
        "InvalidIdentityTokenException",
        "Response signature invalid",
      ],
      [
        "role not listed",
        response({ roles: `arn:aws:iam::${A}:role/other,${PROVIDER_ARN}` }),
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithSAML",
      ],
      [
        "recipient not allowed by the trust policy",
        response({ recipient: "https://elsewhere.example.com" }),
        "AccessDenied",
        "Not authorized to perform sts:AssumeRoleWithSAML",
      ],
      [
        "no session name",
        response({ sessionName: undefined }),
        "InvalidIdentityTokenException",
        "RoleSessionName is required in AuthnResponse",
      ],
      ["not SAML", "<html/>", "InvalidIdentityTokenException", "Invalid SAML response"],
    ];
    for (const [what, xml, name, message] of refusals) {
      const refused = await rejection(() => assume(xml));
      assert.equal(refused.name, name, what);
      assert.equal(refused.message, message, what);
    }
    const soon = response();
    env.clock.advance(301_000);
    const expired = await rejection(() => assume(soon));
    assert.equal(expired.name, "ExpiredTokenException");
    assert.equal(expired.$metadata?.httpStatusCode, 400);
  });

  test("IAM's SAML provider API: get, list, bad metadata, delete", async () => {
    const { env, response, assume } = await world();
    const got = await env.admin.iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: PROVIDER_ARN }));
    assert.match(got.SAMLMetadataDocument!, /^<md:EntityDescriptor/);
    assert.equal(got.ValidUntil!.getTime() > got.CreateDate!.getTime(), true);
    const listed = await env.admin.iam.send(new ListSAMLProvidersCommand({}));
    assert.deepEqual(
      listed.SAMLProviderList!.map((entry) => entry.Arn),
      [PROVIDER_ARN],
    );
    const bad = await rejection(() =>
      env.admin.iam.send(new CreateSAMLProviderCommand({ Name: "bad", SAMLMetadataDocument: "x".repeat(1000) })),
    );
    assert.equal(bad.name, "InvalidInputException");
    assert.equal(bad.message, "Could not parse metadata");
    await env.admin.iam.send(new DeleteSAMLProviderCommand({ SAMLProviderArn: PROVIDER_ARN }));
    const gone = await rejection(() => assume(response()));
    assert.equal(gone.name, "InvalidIdentityTokenException");
    assert.equal(gone.message, `No SAML provider found in your account for ${PROVIDER_ARN}`);
  });
});
