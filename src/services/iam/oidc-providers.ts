import { parseJwks, JWKS_TAG } from "../../domain/iam/oidc-jwks.js";
import {
  createOidcProvider,
  oidcProviderFor,
  oidcProviderKey,
  oidcProviders,
} from "../../domain/iam/oidc-providers.js";
import { addTags, removeTags } from "../../domain/iam/entities.js";
import type { IamOperations } from "../../generated/iam.js";
import type { HandlerMap, RequestContext } from "../service.js";
import { authorizeFor } from "./context.js";
import { page } from "./paging.js";

/** Authorizes `iam:<operation>` on the provider the ARN names, then finds it. */
function provider(ctx: RequestContext, operation: string, arn: string) {
  const { iam, accountId } = authorizeFor(ctx, operation, arn);
  return oidcProviderFor(iam, accountId, arn);
}

export const oidcProviderHandlers: HandlerMap<IamOperations> = {
  CreateOpenIDConnectProvider: (input, ctx) => {
    const arn = `arn:aws:iam::${ctx.principal.accountId}:oidc-provider/${oidcProviderKey(input.Url)}`;
    const { iam, accountId } = authorizeFor(ctx, "CreateOpenIDConnectProvider", arn);
    const record = createOidcProvider(iam, accountId, input, parseJwks(ctx.extensions?.jwks));
    return { OpenIDConnectProviderArn: record.Arn, Tags: record.tags.length ? record.tags : undefined };
  },

  GetOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "GetOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    return {
      Url: record.Url,
      ClientIDList: record.ClientIDList,
      ThumbprintList: record.ThumbprintList,
      CreateDate: new Date(record.CreateDate),
      Tags: record.tags,
    };
  },

  ListOpenIDConnectProviders: (_input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListOpenIDConnectProviders", "*");
    const arns = oidcProviders(iam, accountId)
      .values()
      .map((record) => record.Arn)
      .sort();
    return { OpenIDConnectProviderList: arns.map((Arn) => ({ Arn })) };
  },

  DeleteOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "DeleteOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    oidcProviders(ctx.emulator.identities.seeded(), ctx.principal.accountId).delete(record.Url);
  },

  AddClientIDToOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "AddClientIDToOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    if (!record.ClientIDList.includes(input.ClientID)) record.ClientIDList.push(input.ClientID);
  },

  RemoveClientIDFromOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "RemoveClientIDFromOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    record.ClientIDList = record.ClientIDList.filter((id) => id !== input.ClientID);
  },

  UpdateOpenIDConnectProviderThumbprint: (input, ctx) => {
    const record = provider(ctx, "UpdateOpenIDConnectProviderThumbprint", input.OpenIDConnectProviderArn);
    record.ThumbprintList = [...new Set(input.ThumbprintList)];
  },

  TagOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "TagOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    const jwks = parseJwks(ctx.extensions?.jwks); // checked before anything changes
    addTags(record, input.Tags);
    if (jwks) record.jwks = jwks;
  },

  UntagOpenIDConnectProvider: (input, ctx) => {
    const record = provider(ctx, "UntagOpenIDConnectProvider", input.OpenIDConnectProviderArn);
    removeTags(record, input.TagKeys);
    if (input.TagKeys.includes(JWKS_TAG)) delete record.jwks;
  },

  ListOpenIDConnectProviderTags: (input, ctx) => {
    const record = provider(ctx, "ListOpenIDConnectProviderTags", input.OpenIDConnectProviderArn);
    const { items, ...rest } = page(record.tags, input.Marker, input.MaxItems);
    return { Tags: items, ...rest };
  },
};
