import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import {
  createClusterEndpoint,
  deleteClusterEndpoint,
  describeClusterEndpoints,
  modifyClusterEndpoint,
} from "../../domain/neptune/cluster-endpoints.js";
import type { HandlerMap } from "../service.js";

/** Custom cluster endpoints. The rules are in src/domain/neptune/cluster-endpoints.ts. */
export const clusterEndpointHandlers: HandlerMap<NeptuneOperations> = {
  CreateDBClusterEndpoint: (input, ctx) => createClusterEndpoint(currentScope(ctx), input),
  DescribeDBClusterEndpoints: (input, ctx) => describeClusterEndpoints(currentScope(ctx), input),
  ModifyDBClusterEndpoint: (input, ctx) => modifyClusterEndpoint(currentScope(ctx), input),
  DeleteDBClusterEndpoint: (input, ctx) => deleteClusterEndpoint(currentScope(ctx), input),
};
