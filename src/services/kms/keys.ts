import {
  cancelKeyDeletion,
  createKey,
  describeKey,
  disableKey,
  enableKey,
  listKeys,
  scheduleKeyDeletion,
  updateKeyDescription,
} from "../../domain/kms/keys.js";
import { replicateKey, updatePrimaryRegion } from "../../domain/kms/multi-region.js";
import {
  disableKeyRotation,
  enableKeyRotation,
  getKeyRotationStatus,
  listKeyRotations,
  rotateKeyOnDemand,
} from "../../domain/kms/rotation.js";
import { listResourceTags, tagResource, untagResource } from "../../domain/kms/tags.js";
import type { KmsOperations } from "../../generated/kms.js";
import type { HandlerMap } from "../service.js";
import { kmsCall } from "./call.js";

/** Keys: lifecycle, description, tags, rotation and multi-Region replicas. */
export const keyHandlers: HandlerMap<KmsOperations> = {
  CreateKey: (input, ctx) => ({ KeyMetadata: createKey(kmsCall(ctx), input, ctx.extensions) }),
  DescribeKey: (input, ctx) => ({ KeyMetadata: describeKey(kmsCall(ctx), input) }),
  ListKeys: (input, ctx) => listKeys(kmsCall(ctx), input),
  EnableKey: (input, ctx) => enableKey(kmsCall(ctx), input.KeyId),
  DisableKey: (input, ctx) => disableKey(kmsCall(ctx), input.KeyId),
  ScheduleKeyDeletion: (input, ctx) => scheduleKeyDeletion(kmsCall(ctx), input),
  CancelKeyDeletion: (input, ctx) => cancelKeyDeletion(kmsCall(ctx), input.KeyId),
  UpdateKeyDescription: (input, ctx) => updateKeyDescription(kmsCall(ctx), input),
  TagResource: (input, ctx) => tagResource(kmsCall(ctx), input),
  UntagResource: (input, ctx) => untagResource(kmsCall(ctx), input),
  ListResourceTags: (input, ctx) => listResourceTags(kmsCall(ctx), input),
  EnableKeyRotation: (input, ctx) => enableKeyRotation(kmsCall(ctx), input),
  DisableKeyRotation: (input, ctx) => disableKeyRotation(kmsCall(ctx), input.KeyId),
  GetKeyRotationStatus: (input, ctx) => getKeyRotationStatus(kmsCall(ctx), input.KeyId),
  RotateKeyOnDemand: (input, ctx) => rotateKeyOnDemand(kmsCall(ctx), input.KeyId),
  ListKeyRotations: (input, ctx) => listKeyRotations(kmsCall(ctx), input),
  ReplicateKey: (input, ctx) => replicateKey(kmsCall(ctx), input),
  UpdatePrimaryRegion: (input, ctx) => updatePrimaryRegion(kmsCall(ctx), input),
};
