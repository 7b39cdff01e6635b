/**
 * Which paths are the emulator's own endpoints (admin.ts serves them), in a module of their own: the pipeline tells
 * them apart on every request, and loads what serves them on the first one (admin.ts, with the console's views).
 */

export const ADMIN_PREFIX = "/_trident/";
export const PASSPHRASE_HEADER = "x-trident-state-passphrase";
/** A state document may be far larger than an AWS request: imports get this limit instead of --max-body. */
export const ADMIN_MAX_BODY_BYTES = 512 * 1024 * 1024;

const LOCALSTACK_PREFIX = "/_localstack/";
const MOTO_PREFIX = "/moto-api/";

/** LocalStack's and moto's drop-in surfaces (compat.ts). */
export function isCompatPath(url: string): boolean {
  return url.startsWith(LOCALSTACK_PREFIX) || url.startsWith(MOTO_PREFIX);
}

/** Whether a path is one of the emulator's own endpoints (Trident's, LocalStack's or moto's), not an AWS request. */
export function isAdminPath(url: string): boolean {
  return url.startsWith(ADMIN_PREFIX) || isCompatPath(url);
}
