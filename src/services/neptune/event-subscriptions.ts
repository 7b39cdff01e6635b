import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { eventSubscriptions } from "../../domain/neptune/event-subscriptions.js";
import type { HandlerMap } from "../service.js";

/** Event subscriptions; the rules are in src/domain/neptune/event-subscriptions.ts. */
export const eventSubscriptionHandlers: HandlerMap<NeptuneOperations> = {
  CreateEventSubscription: (input, ctx) => eventSubscriptions.create(currentScope(ctx), input),
  ModifyEventSubscription: (input, ctx) => eventSubscriptions.modify(currentScope(ctx), input),
  DeleteEventSubscription: (input, ctx) => eventSubscriptions.delete(currentScope(ctx), input),
  DescribeEventSubscriptions: (input, ctx) => eventSubscriptions.describe(currentScope(ctx), input),
  AddSourceIdentifierToSubscription: (input, ctx) => eventSubscriptions.addSource(currentScope(ctx), input),
  RemoveSourceIdentifierFromSubscription: (input, ctx) => eventSubscriptions.removeSource(currentScope(ctx), input),
};
