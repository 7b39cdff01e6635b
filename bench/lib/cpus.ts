import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * Which CPUs a bench's servers and its load generator run on (`--pin`, Linux: taskset from util-linux). On a
 * machine of few cores the load generator otherwise shares the server's core whenever the scheduler puts it there,
 * and a server's figure is then as much where its process landed as what it does. Pinned, every server measured
 * has the first CPU to itself and the load the others, the same for every endpoint of a run.
 */
export interface CpuPlacement {
  /** taskset's CPU list for the servers a bench starts. */
  servers: string;
  /** taskset's CPU list for the bench's own process, and so for the load generator it starts. */
  load: string;
}

/** The servers on CPU 0, the load on the rest; refused on a single CPU, where there is nothing to separate. */
export function pinnedPlacement(): CpuPlacement {
  const cpus = availableParallelism();
  if (cpus < 2) throw new Error("--pin needs two CPUs or more: one for the servers, the others for the load");
  return { servers: "0", load: cpus === 2 ? "1" : `1-${cpus - 1}` };
}

/** Moves this process (every thread) onto the load's CPUs: the load generators it starts from now on follow it. */
export function pinThisProcess(placement: CpuPlacement): void {
  execFileSync("taskset", ["--all-tasks", "--cpu-list", "--pid", placement.load, String(process.pid)], {
    stdio: "ignore",
  });
}

/** `command args…` as run on `cpus` (a taskset CPU list), or as it is without one. */
export function onCpus(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ["taskset", ["--cpu-list", cpus, command, ...args]];
}
