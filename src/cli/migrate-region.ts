import { homedir } from "node:os";
import { join } from "node:path";
import { loadConfig, NODE_REGION_CONFIG_FILE_OPTIONS, NODE_REGION_CONFIG_OPTIONS } from "@smithy/core/config";

/**
 * The Region a side's profile gives, as the AWS SDK for JavaScript resolves a client's `region` when none is given
 * (its runtimeConfig: `loadConfig(NODE_REGION_CONFIG_OPTIONS, NODE_REGION_CONFIG_FILE_OPTIONS)`): AWS_REGION, then
 * the profile's `region` in the shared config and credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE;
 * the profile: the one given, else AWS_PROFILE, else `default`). Two differences, both *decided*: the environment is
 * the command's (`env`, so tests and callers can give their own), and there is no last resort of asking EC2's
 * instance metadata (a migration's Region is never guessed from the machine it runs on). AWS_DEFAULT_REGION, the
 * AWS CLI's variable that the JS SDK does not read, comes after the files, for those who set only that.
 */
export async function profileRegion(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const region = await loadConfig(
    {
      ...NODE_REGION_CONFIG_OPTIONS,
      environmentVariableSelector: () => env.AWS_REGION,
      default: () => undefined,
    },
    {
      ...NODE_REGION_CONFIG_FILE_OPTIONS,
      profile: profile ?? env.AWS_PROFILE ?? "default",
      configFilepath: env.AWS_CONFIG_FILE ?? join(home, ".aws", "config"),
      filepath: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, ".aws", "credentials"),
      ignoreCache: true,
    },
  )();
  return region || env.AWS_DEFAULT_REGION || undefined;
}
