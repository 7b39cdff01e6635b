import type { NeptuneOperations } from "../../generated/neptune.js";
import { currentScope } from "../../domain/neptune/catch-up.js";
import { refuseFilters } from "../../domain/neptune/listing.js";
import { taggableResource } from "../../domain/neptune/taggable-resources.js";
import { getTags, removeTags, setTags } from "../../domain/neptune/tags.js";
import type { HandlerMap } from "../service.js";

/** Tags on every taggable Neptune resource, by ARN, in the caller's own account only. */
export const tagHandlers: HandlerMap<NeptuneOperations> = {
  AddTagsToResource: (input, ctx) => {
    const scope = currentScope(ctx);
    setTags(scope.store, scope.accountId, scope.region, taggableResource(scope, input.ResourceName), input.Tags);
  },

  ListTagsForResource: (input, ctx) => {
    const scope = currentScope(ctx);
    const tags = getTags(scope.store, scope.accountId, scope.region, taggableResource(scope, input.ResourceName));
    refuseFilters(input.Filters);
    return { TagList: tags };
  },

  RemoveTagsFromResource: (input, ctx) => {
    const scope = currentScope(ctx);
    removeTags(scope.store, scope.accountId, scope.region, taggableResource(scope, input.ResourceName), input.TagKeys);
  },
};
