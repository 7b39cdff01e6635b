import { register } from "node:module";

/**
 * Loaded with `--import` (NODE_OPTIONS) into a process under test: every module the process loads from then on is
 * written to the file named by TRIDENT_MODULE_LOG, one file URL a line (module-log-hooks.ts). Tests read it to check
 * what a process has loaded by some point, e.g. what `trident serve` loads before it is ready.
 */
register("./module-log-hooks.js", import.meta.url);
