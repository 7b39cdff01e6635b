/**
 * The faults the Neptune suites expect, as AWS answers them: the SDK's error class (the model's shape name), the
 * HTTP status, the message, and for the wire the raw `<Code>`, which is not always the shape name (DESIGN §3).
 */

export interface Fault {
  /** The SDK's error class: the model's shape name. */
  name: string;
  status: number;
  /** Exactly, or matching; left out where only the fault matters. */
  message?: string | RegExp;
}

export interface WireFault {
  /** The raw `<Code>`: not always the shape name (DESIGN §3), and what the AWS CLI's waiters match. */
  code: string;
  status: number;
  message?: string;
}

/** A request that breaks a parameter's rules (400): a value of its own, or values that don't go together. */
export const invalidValue = (message?: string | RegExp): Fault => ({
  name: "InvalidParameterValue",
  status: 400,
  message,
});
export const invalidCombination = (message: string): Fault => ({
  name: "InvalidParameterCombination",
  status: 400,
  message,
});

/** RDS's message for an identifier that breaks its naming rules. */
export const invalidIdentifier = (parameter: string) =>
  `The parameter ${parameter} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`;

/** The not-found faults of the resources other accounts can't see either, echoing the identifier as given. */
export const clusterNotFound = (given: string) => ({
  name: "DBClusterNotFoundFault",
  code: "DBClusterNotFoundFault",
  status: 404,
  message: `DBCluster ${given} not found.`,
});
export const instanceNotFound = (given: string) => ({
  name: "DBInstanceNotFoundFault",
  code: "DBInstanceNotFound",
  status: 404,
  message: `DBInstance ${given} not found.`,
});
export const snapshotNotFound = (given: string) => ({
  name: "DBClusterSnapshotNotFoundFault",
  code: "DBClusterSnapshotNotFoundFault",
  status: 404,
  message: `DBClusterSnapshot not found: ${given}`,
});
