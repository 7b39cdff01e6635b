import type { NeptuneClient } from "@aws-sdk/client-neptune";
import { isAwsError, type MigrateError } from "../errors.js";
import type { Claimable, Journal } from "../journal.js";
import { RESOURCES, waitUntilReady, type FactsOf, type ResourceKind } from "../resources.js";
import type { Tag } from "../types.js";
import type { StepContext, StepOutcome } from "./context.js";

/**
 * The check-then-act shape of every step that creates a resource, so that a re-run resumes instead of making it
 * twice: read it by the name the plan gave it; if it exists it must be this migration's (never adopt someone
 * else's); if not, claim the name in the journal (write-ahead), then call. A call refused because the name was
 * taken meanwhile withdraws the claim.
 */
export interface Creation<K extends ResourceKind> {
  kind: K;
  neptune: NeptuneClient;
  id: string;
  /** What the journal records the claim as. */
  claim: Claimable | "instance";
  /** Why an existing resource of that name is not this migration's; `undefined` when it is. */
  notOurs(existing: FactsOf[K]): MigrateError | undefined;
  create(): Promise<unknown>;
}

/** Creates the resource unless it exists already as this migration's; true when this run created it. */
export async function createOnce<K extends ResourceKind>(journal: Journal, creation: Creation<K>): Promise<boolean> {
  const { kind, neptune, id, claim } = creation;
  const existing = await RESOURCES[kind].read(neptune, id);
  if (existing) {
    const conflict = creation.notOurs(existing);
    if (conflict) throw conflict;
    return false;
  }
  journal.claim(claim, id);
  try {
    await creation.create();
  } catch (error) {
    if (isAwsError(error, ...RESOURCES[kind].alreadyExists)) journal.withdraw(claim, id);
    throw error;
  }
  return true;
}

/** A whole step that makes one resource: create it once, then wait until it is ready. */
export async function createAndWait<K extends ResourceKind>(
  ctx: StepContext,
  creation: Creation<K>,
  createdDetail: string,
): Promise<StepOutcome> {
  const changed = await createOnce(ctx.journal, creation);
  await waitUntilReady(creation.neptune, creation.kind, creation.id, ctx.wait, ctx.reporter.progress);
  return { changed, detail: changed ? createdDetail : `${creation.id} already exists` };
}

/** Tags as a create call takes them: left out when there are none. */
export function tagsParam(tags: Tag[]): { Tags?: Tag[] } {
  return tags.length > 0 ? { Tags: tags.map(({ Key, Value }) => ({ Key, Value })) } : {};
}
