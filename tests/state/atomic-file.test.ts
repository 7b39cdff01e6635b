import { describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeFileAtomically, type FileOps } from "../../src/state/atomic-file.js";

describe("writing a file atomically", () => {
  test("writes a temporary file, fsyncs it, renames it over the old one, then fsyncs the directory", () => {
    const dir = mkdtempSync(join(tmpdir(), "trident-atomic-"));
    const path = join(dir, "journal.json");
    const calls: string[] = [];
    const names = new Map<number, string>();
    const recorder: FileOps = {
      openSync: (p, flags, mode) => {
        const fd = fs.openSync(p, flags, mode);
        names.set(fd, p === dir ? "dir" : p.startsWith(`${path}.tmp-`) ? "tmp" : p);
        calls.push(`open ${names.get(fd)}`);
        return fd;
      },
      writeSync: (fd, data) => (calls.push(`write ${names.get(fd)}`), fs.writeSync(fd, data)),
      fsyncSync: (fd) => (calls.push(`fsync ${names.get(fd)}`), fs.fsyncSync(fd)),
      closeSync: (fd) => (calls.push(`close ${names.get(fd)}`), fs.closeSync(fd)),
      renameSync: (from, to) => (calls.push(`rename tmp → ${to === path ? "path" : to}`), fs.renameSync(from, to)),
    };
    writeFileAtomically(path, "first\n", { fs: recorder });
    writeFileAtomically(path, "second\n", { fs: recorder });
    const once = [
      "open tmp",
      "write tmp",
      "fsync tmp",
      "close tmp",
      "rename tmp → path",
      "open dir",
      "fsync dir",
      "close dir",
    ];
    assert.deepEqual(calls, [...once, ...once]);
    assert.equal(readFileSync(path, "utf8"), "second\n");
    assert.deepEqual(readdirSync(dir), ["journal.json"]);
  });
});
