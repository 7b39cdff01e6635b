import type { CopyDBClusterSnapshotMessage } from "../../generated/neptune.js";
import type { SignedRequestParts } from "../../auth/sigv4.js";
import { CommonErrors } from "../../protocol/errors.js";

/**
 * The `PreSignedUrl` of a cross-Region CopyDBClusterSnapshot: a SigV4 presigned GET of CopyDBClusterSnapshot in the
 * source snapshot's Region, which stands for the caller's own call there (RDS API reference, CopyDBClusterSnapshot
 * `PreSignedUrl`: "a valid request for the CopyDBClusterSnapshot API operation that can run in the source Region",
 * with `KmsKeyId`, `DestinationRegion` and `SourceDBClusterSnapshotIdentifier` as in the call). The SDKs build it
 * from the source ARN's Region (@aws-sdk/middleware-sdk-rds; botocore from `SourceRegion`).
 *
 * AWS needs it for an *encrypted* snapshot from another Region ("Use the PreSignedUrl parameter when copying an
 * encrypted DB cluster snapshot from another Region", ibid.); an unencrypted copy, like a copy within a Region, goes
 * without it, and one given there is not used (DESIGN §3: "one may arrive and must be accepted").
 */

/** Who signed a request, as the auth stage finds it; undefined when it does not authenticate. */
export type RequestAuthenticator = (request: SignedRequestParts) => { accountId: string; region: string } | undefined;

/** Observed on the wire (aws/aws-sdk-go#3930, CopyDBClusterSnapshot without a PreSignedUrl). */
const MISSING_MESSAGE = "A pre-signed url must be specified for copying encrypted snapshot across region.";
/** Observed for every URL that fails (CloudTrail in hashicorp/terraform#11803; boto/botocore#1273). */
const INVALID_MESSAGE = "PreSignedUrl could not be authenticated.";

const OPERATION = "CopyDBClusterSnapshot";

/**
 * Checks the PreSignedUrl of an encrypted copy from `sourceRegion` into the caller's `destinationRegion`: present; a
 * URL; a CopyDBClusterSnapshot of this very source for this destination with this KmsKeyId; signed (SigV4,
 * presigned-query form, not expired) by a key of the caller's own account for the source Region. Every failure is
 * the one error AWS gives (InvalidParameterValue, 400).
 */
export function checkPresignedUrl(
  request: CopyDBClusterSnapshotMessage,
  where: { accountId: string; sourceRegion: string; destinationRegion: string },
  authenticate: RequestAuthenticator,
): void {
  const given = request.PreSignedUrl;
  if (given === undefined || given === "") throw CommonErrors.invalidParameterValue(MISSING_MESSAGE);
  const url = parseUrl(given);
  if (!url || !asksForThisCopy(url.searchParams, request, where.destinationRegion)) throw invalid();
  const signer = signerOf(url, authenticate);
  if (!signer || signer.region !== where.sourceRegion || signer.accountId !== where.accountId) throw invalid();
}

const invalid = () => CommonErrors.invalidParameterValue(INVALID_MESSAGE);

function parseUrl(given: string): URL | undefined {
  try {
    const url = new URL(given);
    return url.protocol === "https:" || url.protocol === "http:" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The URL's call is this one: the operation, its source, the destination Region and the KmsKeyId, each once. */
function asksForThisCopy(params: URLSearchParams, request: CopyDBClusterSnapshotMessage, destination: string): boolean {
  const only = (name: string) => {
    const values = params.getAll(name);
    return values.length === 1 ? values[0] : values.length === 0 ? undefined : null;
  };
  return (
    only("Action") === OPERATION &&
    only("SourceDBClusterSnapshotIdentifier") === request.SourceDBClusterSnapshotIdentifier &&
    only("DestinationRegion") === destination &&
    (only("KmsKeyId") ?? "") === (request.KmsKeyId ?? "")
  );
}

/**
 * The URL as the request it stands for (a GET with no body), authenticated by the auth stage itself. The `host` it
 * signed: the URL's, as botocore signs it; or its bare hostname, as the JS SDK v3 signs it while keeping the
 * endpoint's port in the URL (@aws-sdk/middleware-sdk-rds sets `headers.host` to the hostname). On AWS, whose URLs
 * carry no port, the two are one.
 */
function signerOf(url: URL, authenticate: RequestAuthenticator): ReturnType<RequestAuthenticator> {
  const hosts = [...new Set([url.host, url.hostname])];
  for (const host of hosts) {
    const signer = authenticate({
      method: "GET",
      path: url.pathname,
      query: url.search.slice(1),
      headers: { host },
      body: Buffer.alloc(0),
    });
    if (signer) return signer;
  }
  return undefined;
}
