import {
  createSamlProvider,
  metadataCertificates,
  samlProviderFor,
  samlProviders,
} from "../../domain/iam/saml-providers.js";
import type { IamOperations } from "../../generated/iam.js";
import type { HandlerMap, RequestContext } from "../service.js";
import { authorizeFor } from "./context.js";

/** Authorizes `iam:<operation>` on the provider the ARN names, then finds it. */
function provider(ctx: RequestContext, operation: string, arn: string) {
  const { iam, accountId } = authorizeFor(ctx, operation, arn);
  return samlProviderFor(iam, accountId, arn);
}

export const samlProviderHandlers: HandlerMap<IamOperations> = {
  CreateSAMLProvider: (input, ctx) => {
    const arn = `arn:aws:iam::${ctx.principal.accountId}:saml-provider/${input.Name}`;
    const { iam, accountId } = authorizeFor(ctx, "CreateSAMLProvider", arn);
    const record = createSamlProvider(iam, accountId, input);
    return { SAMLProviderArn: record.Arn, Tags: record.tags.length ? record.tags : undefined };
  },

  GetSAMLProvider: (input, ctx) => {
    const record = provider(ctx, "GetSAMLProvider", input.SAMLProviderArn);
    return {
      SAMLProviderUUID: record.SAMLProviderUUID,
      SAMLMetadataDocument: record.SAMLMetadataDocument,
      CreateDate: new Date(record.CreateDate),
      ValidUntil: new Date(record.ValidUntil),
      Tags: record.tags,
    };
  },

  ListSAMLProviders: (_input, ctx) => {
    const { iam, accountId } = authorizeFor(ctx, "ListSAMLProviders", "*");
    const records = samlProviders(iam, accountId)
      .values()
      .sort((a, b) => a.Arn.localeCompare(b.Arn));
    return {
      SAMLProviderList: records.map((record) => ({
        Arn: record.Arn,
        CreateDate: new Date(record.CreateDate),
        ValidUntil: new Date(record.ValidUntil),
      })),
    };
  },

  UpdateSAMLProvider: (input, ctx) => {
    const record = provider(ctx, "UpdateSAMLProvider", input.SAMLProviderArn);
    if (input.SAMLMetadataDocument !== undefined) {
      record.certificates = metadataCertificates(input.SAMLMetadataDocument);
      record.SAMLMetadataDocument = input.SAMLMetadataDocument;
    }
    return { SAMLProviderArn: record.Arn };
  },

  DeleteSAMLProvider: (input, ctx) => {
    const record = provider(ctx, "DeleteSAMLProvider", input.SAMLProviderArn);
    samlProviders(ctx.emulator.identities.seeded(), ctx.principal.accountId).delete(record.Name.toLowerCase());
  },
};
