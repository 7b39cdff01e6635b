import { createHash } from "node:crypto";
import { dictionary } from "../../util/dictionary.js";

/**
 * The DNS names Neptune gives clusters and instances (reference §2.2), and the Route 53 hosted zone they live in.
 * Pure functions of the account, region and identifier, so every describe shows the same names.
 */

const endpointLabels = new Map<string, string>();

/**
 * Per (account, region), like AWS's `cluster-<hash>` DNS label shared by all clusters of an account in a region.
 * Memoized: it is a pure function of its arguments, and describing many clusters would hash it for each.
 */
function endpointLabel(accountId: string, region: string): string {
  const key = `${accountId}/${region}`;
  let label = endpointLabels.get(key);
  if (label === undefined) {
    const digest = createHash("sha256").update(key).digest();
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    label = Array.from(digest.subarray(0, 12), (byte) => alphabet[byte % alphabet.length]).join("");
    endpointLabels.set(key, label);
  }
  return label;
}

/** Route 53 hosted zones of RDS endpoints in a few regions; *decided*: a stable made-up zone elsewhere. */
const HOSTED_ZONES: Record<string, string> = dictionary({
  "us-east-1": "Z2R2ITUGPM61AM",
  "us-east-2": "Z2XHWR1WZ565X2",
  "us-west-1": "Z10WI91S59XXQN",
  "us-west-2": "Z1PVIF0B656C1W",
  "eu-west-1": "Z29XKXDKYMONMX",
  "eu-central-1": "Z1RLNUO7B9Q6NB",
});

export function hostedZoneId(region: string): string {
  return HOSTED_ZONES[region] ?? `Z${createHash("sha256").update(region).digest("hex").slice(0, 13).toUpperCase()}`;
}

/** An (account, region): what the names depend on. */
type AccountRegion = { accountId: string; region: string };

/** `<id>.cluster-<label>.<region>.neptune.amazonaws.com` and the reader's `cluster-ro-` twin. */
export function clusterEndpoints(place: AccountRegion, id: string): { Endpoint: string; ReaderEndpoint: string } {
  const label = endpointLabel(place.accountId, place.region);
  return {
    Endpoint: `${id}.cluster-${label}.${place.region}.neptune.amazonaws.com`,
    ReaderEndpoint: `${id}.cluster-ro-${label}.${place.region}.neptune.amazonaws.com`,
  };
}

/** `<id>.<label>.<region>.neptune.amazonaws.com`: an instance's own endpoint. */
export function instanceAddress(place: AccountRegion, id: string): string {
  return `${id}.${endpointLabel(place.accountId, place.region)}.${place.region}.neptune.amazonaws.com`;
}
