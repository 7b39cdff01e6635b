import { createHash } from "node:crypto";
import { dictionary } from "../../util/dictionary.js";
import type { DataPlaneConfig } from "./data-plane/ports.js";

/**
 * Endpoint names, and the Route 53 hosted zone RDS endpoints live in. While the data plane serves, endpoints are
 * addresses of this machine (data-plane/ports.ts), so that they answer; with it off (`--no-data-plane`) they are
 * the DNS names AWS gives them, as moto shows them: nothing answers there anyway.
 */

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

/** Where an endpoint lives: an account and Region, and how this Trident's data plane runs. */
export interface EndpointPlace {
  accountId: string;
  region: string;
  ports: { config: DataPlaneConfig };
}

/**
 * The part of AWS's endpoint names that is one per account and Region, shared by its clusters', instances' and
 * custom endpoints (Neptune User Guide, "Custom endpoints"; reference §2: `<cluster-id>.cluster-<12 lowercase
 * alnum>.<region>.neptune.amazonaws.com`). *Decided*: derived from the account and Region, so it is stable.
 */
export function endpointSuffix(place: { accountId: string; region: string }): string {
  return createHash("sha256").update(`${place.accountId}/${place.region}`).digest("hex").slice(0, 12);
}

/** AWS's DNS name of an endpoint: `head` (`ID.cluster-`, `ID.cluster-ro-`, `ID.cluster-custom-`, `ID.`), the suffix. */
export const awsEndpointName = (place: { accountId: string; region: string }, head: string): string =>
  `${head}${endpointSuffix(place)}.${place.region}.neptune.amazonaws.com`;

/** A cluster's (writer) endpoint. */
export function clusterEndpoint(place: EndpointPlace, clusterId: string): string {
  const { config } = place.ports;
  return config.off ? awsEndpointName(place, `${clusterId}.cluster-`) : config.host;
}

/** A cluster's reader endpoint. */
export function readerEndpoint(place: EndpointPlace, clusterId: string): string {
  const { config } = place.ports;
  return config.off ? awsEndpointName(place, `${clusterId}.cluster-ro-`) : config.readerHost;
}

/** An instance's endpoint address. */
export function instanceAddress(place: EndpointPlace, instanceId: string): string {
  const { config } = place.ports;
  return config.off ? awsEndpointName(place, `${instanceId}.`) : config.host;
}
