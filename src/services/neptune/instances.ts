import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import {
  createInstance,
  deleteInstance,
  describeInstances,
  modifyInstance,
  rebootInstance,
} from "../../domain/neptune/instances.js";
import type { HandlerMap } from "../service.js";

/** DB instances, the members of a cluster. The rules are in src/domain/neptune/instances.ts. */
export const instanceHandlers: HandlerMap<NeptuneOperations> = {
  CreateDBInstance: (input, ctx) => ({ DBInstance: createInstance(currentScope(ctx), input) }),
  DescribeDBInstances: (input, ctx) => describeInstances(currentScope(ctx), input),
  ModifyDBInstance: (input, ctx) => ({ DBInstance: modifyInstance(currentScope(ctx), input) }),
  RebootDBInstance: (input, ctx) => ({ DBInstance: rebootInstance(currentScope(ctx), input) }),
  DeleteDBInstance: (input, ctx) => ({ DBInstance: deleteInstance(currentScope(ctx), input) }),
};
