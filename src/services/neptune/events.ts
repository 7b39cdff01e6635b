import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { describeEventCategories, describeEvents } from "../../domain/neptune/events.js";
import type { HandlerMap } from "../service.js";

/** DescribeEvents and DescribeEventCategories (event subscriptions: event-subscriptions.ts). */
export const eventHandlers: HandlerMap<NeptuneOperations> = {
  // Caught up first, so that what happened by itself until now (a finished deletion, a backup) is reported.
  DescribeEvents: (input, ctx) => describeEvents(currentScope(ctx), input),

  DescribeEventCategories: (input) => ({ EventCategoriesMapList: describeEventCategories(input) }),
};
