import type { NeptuneClient } from "@aws-sdk/client-neptune";
import { encodeRecord } from "../../src/state/codec.js";
import { A, ADMIN, type inProcess } from "../helpers/harness.js";

/** Shared by the global database suites: the second Region, ARNs, and what a refused request must leave as it was. */

export const WEST = "us-west-2";
export const globalArn = (name: string) => `arn:aws:rds::${A}:global-cluster:${name}`;
export const clusterArnIn = (region: string, id: string) => `arn:aws:rds:${region}:${A}:cluster:${id}`;

export type Env = ReturnType<typeof inProcess>;
/** Every stored row, encoded. */
export const rows = (env: Env) => [...env.emulator.store.rows()].map(encodeRecord);
/** A's Neptune client in `region`. */
export const neptuneIn = (env: Env, region: string): NeptuneClient => env.clientsFor(ADMIN[A]!, region).neptune;
