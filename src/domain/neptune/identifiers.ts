import { CommonErrors } from "../../protocol/errors.js";

/**
 * Neptune's identifier rules for clusters, instances and cluster snapshots (API reference, e.g.
 * CreateDBCluster.DBClusterIdentifier): 1–63 letters, digits or hyphens; the first a letter; no trailing hyphen
 * and no two consecutive hyphens. Identifiers are case-insensitive on input and stored lowercase.
 */

const MAX_LENGTH = 63;
const SHAPE = /^[A-Za-z][A-Za-z0-9-]*$/;

/** The parameter a value was given in, as AWS names it in the message. */
export type IdentifierParameter =
  | "DBClusterIdentifier"
  | "NewDBClusterIdentifier"
  | "DBInstanceIdentifier"
  | "NewDBInstanceIdentifier"
  | "TargetDBInstanceIdentifier"
  | "DBClusterSnapshotIdentifier"
  | "TargetDBClusterSnapshotIdentifier"
  | "FinalDBSnapshotIdentifier"
  | "DBClusterEndpointIdentifier";

export function isValidIdentifier(value: string): boolean {
  return value.length <= MAX_LENGTH && SHAPE.test(value) && !value.endsWith("-") && !value.includes("--");
}

/**
 * The stored (lowercase) form of an identifier, or AWS's InvalidParameterValue: the blank-value text (moto,
 * reference §2.1) or the invalid-identifier text observed from AWS (Go SDK fixture quoting it, reference §2.1).
 * *Decided*: an identifier over 63 characters gets the same invalid-identifier text.
 */
export function validIdentifier(value: string, parameter: IdentifierParameter): string {
  if (value.trim() === "")
    throw CommonErrors.invalidParameterValue(`The parameter ${parameter} must be provided and must not be blank.`);
  if (!isValidIdentifier(value)) {
    throw CommonErrors.invalidParameterValue(
      `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`,
    );
  }
  return value.toLowerCase();
}
