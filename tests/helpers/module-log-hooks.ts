import { appendFileSync } from "node:fs";
import type { LoadHook } from "node:module";

/** The module hooks of module-log.ts: each module's URL is written before the module is evaluated. */
export const load: LoadHook = async (url, context, next) => {
  const loaded = await next(url, context);
  // Written synchronously: the line is in the file before the module runs, so before anything it prints.
  if (url.startsWith("file:")) appendFileSync(process.env.TRIDENT_MODULE_LOG!, `${url}\n`);
  return loaded;
};
