import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * What a server process has used, read from Linux's /proc: the benches compare CPU per request (the server's own
 * user + system time over the requests it answered) rather than throughput alone, which the load of other processes
 * on a shared machine moves more.
 */

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** The process's CPU time so far, user + system, in microseconds (utime and stime, fields 14 and 15 of stat). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may hold spaces and parentheses: the fields that follow start after its last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1e6;
}

/** The process's resident set, in MiB (VmRSS of /proc/PID/status). */
export function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;
}
