import type { NeptuneOperations } from "../../generated/neptune.js";
import {
  describeEngineVersions,
  describeOrderableInstanceOptions,
  validInstanceModifications,
} from "../../domain/neptune/catalogue.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import type { HandlerMap } from "../service.js";

/** What Neptune offers: engine versions, orderable instance options, valid modifications of an instance. */
export const catalogueHandlers: HandlerMap<NeptuneOperations> = {
  DescribeDBEngineVersions: (input) => describeEngineVersions(input),

  DescribeOrderableDBInstanceOptions: (input, ctx) => describeOrderableInstanceOptions(input, ctx.region),

  DescribeValidDBInstanceModifications: (input, ctx) => ({
    ValidDBInstanceModificationsMessage: validInstanceModifications(currentScope(ctx), input.DBInstanceIdentifier),
  }),
};
