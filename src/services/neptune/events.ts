import type { NeptuneOperations } from "../../generated/neptune.js";
import { refuseFilters } from "../../domain/neptune/catalogue.js";
import { currentScope } from "../../domain/neptune/backups.js";
import { describeEventCategories, describeEvents } from "../../domain/neptune/events.js";
import type { HandlerMap } from "../service.js";

/**
 * DescribeEvents and DescribeEventCategories. Event subscriptions (Create/Modify/Delete/DescribeEventSubscriptions,
 * Add/RemoveSourceIdentifier…) are left unhandled: the pipeline answers them NotImplemented.
 */
export const eventHandlers: HandlerMap<NeptuneOperations> = {
  DescribeEvents: (input, ctx) => {
    refuseFilters(input.Filters);
    // Caught up first, so that what happened by itself until now (a finished deletion, a backup) is reported.
    const scope = currentScope(ctx);
    return describeEvents(scope.store, scope.accountId, scope.region, input, new Date(scope.now));
  },

  DescribeEventCategories: (input) => {
    refuseFilters(input.Filters);
    return { EventCategoriesMapList: describeEventCategories(input.SourceType) };
  },
};
