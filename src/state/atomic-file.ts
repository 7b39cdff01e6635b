import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** The file-system calls an atomic write makes; tests pass a recorder to see the order. */
export interface FileOps {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
}

const NODE_FS: FileOps = { openSync, writeSync, fsyncSync, closeSync, renameSync };

/**
 * Replaces `path` with `text` so that after a crash or power cut the file holds either the old text or the new,
 * never a mix, and the new one once this returns: write a temporary file beside it, fsync it, rename it over the
 * old one, then fsync the directory so the rename itself is on disk (rename(2) alone is atomic but not durable).
 */
export function writeFileAtomically(
  path: string,
  text: string,
  { mode = 0o666, fs = NODE_FS }: { mode?: number; fs?: FileOps } = {},
): void {
  const temporary = `${path}.tmp-${process.pid}`;
  const fd = fs.openSync(temporary, "w", mode);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, path);
  syncDirectory(dirname(path), fs);
}

function syncDirectory(dir: string, fs: FileOps): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, "r");
  } catch {
    return; // Windows cannot open a directory; its rename is as durable as it gets there.
  }
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
