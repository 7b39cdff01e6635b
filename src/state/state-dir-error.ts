/** A data directory that can't be opened as asked: in use, written by a newer Trident, or a wrong master key. */
export class StateDirError extends Error {}
