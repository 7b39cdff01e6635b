import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { clusterParameterGroups, parameterGroups } from "../../domain/neptune/parameter-groups.js";
import { subnetGroups } from "../../domain/neptune/subnet-groups.js";
import type { HandlerMap } from "../service.js";

/**
 * DB cluster parameter groups, DB parameter groups and DB subnet groups. The rules are in
 * src/domain/neptune/{parameter-groups,subnet-groups}.ts, which take and answer the wire messages; the two kinds of
 * parameter group share one implementation there.
 */
export const groupHandlers: HandlerMap<NeptuneOperations> = {
  // ------------------------------------------------------------------ DB cluster parameter groups
  CreateDBClusterParameterGroup: (input, ctx) => clusterParameterGroups.create(currentScope(ctx), input),
  CopyDBClusterParameterGroup: (input, ctx) => clusterParameterGroups.copy(currentScope(ctx), input),
  ModifyDBClusterParameterGroup: (input, ctx) => clusterParameterGroups.modify(currentScope(ctx), input),
  ResetDBClusterParameterGroup: (input, ctx) => clusterParameterGroups.reset(currentScope(ctx), input),
  DeleteDBClusterParameterGroup: (input, ctx) => clusterParameterGroups.delete(currentScope(ctx), input),
  DescribeDBClusterParameterGroups: (input, ctx) => clusterParameterGroups.describe(currentScope(ctx), input),
  DescribeDBClusterParameters: (input, ctx) => clusterParameterGroups.parameters(currentScope(ctx), input),
  DescribeEngineDefaultClusterParameters: (input) => clusterParameterGroups.engineDefaults(input),

  // ------------------------------------------------------------------ DB parameter groups
  CreateDBParameterGroup: (input, ctx) => parameterGroups.create(currentScope(ctx), input),
  CopyDBParameterGroup: (input, ctx) => parameterGroups.copy(currentScope(ctx), input),
  ModifyDBParameterGroup: (input, ctx) => parameterGroups.modify(currentScope(ctx), input),
  ResetDBParameterGroup: (input, ctx) => parameterGroups.reset(currentScope(ctx), input),
  DeleteDBParameterGroup: (input, ctx) => parameterGroups.delete(currentScope(ctx), input),
  DescribeDBParameterGroups: (input, ctx) => parameterGroups.describe(currentScope(ctx), input),
  DescribeDBParameters: (input, ctx) => parameterGroups.parameters(currentScope(ctx), input),
  DescribeEngineDefaultParameters: (input) => parameterGroups.engineDefaults(input),

  // ------------------------------------------------------------------ DB subnet groups
  CreateDBSubnetGroup: (input, ctx) => subnetGroups.create(currentScope(ctx), input),
  ModifyDBSubnetGroup: (input, ctx) => subnetGroups.modify(currentScope(ctx), input),
  DeleteDBSubnetGroup: (input, ctx) => subnetGroups.delete(currentScope(ctx), input),
  DescribeDBSubnetGroups: (input, ctx) => subnetGroups.describe(currentScope(ctx), input),
};
