import { AwsError } from "./errors.js";
import { shapeOf, type MemberRef, type ServiceModel, type Shape } from "./model.js";

/**
 * Input validation from the model's constraints (required, length, range, pattern, enum), worded as AWS's
 * Coral-based services word it: "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy
 * constraint: Member must …". KMS answers ValidationException, STS ValidationError. RDS (Neptune) answers a
 * missing required parameter with MissingParameter instead.
 */
export interface ValidationStyle {
  /** The error code for constraint violations. */
  code: "ValidationException" | "ValidationError" | "InvalidParameterException";
  /** Whether a missing required top-level member is reported RDS-style as MissingParameter. */
  missingAsMissingParameter: boolean;
  /** The code of that error (default `MissingParameter`, RDS's; neptunedata's is `MissingParameterException`). */
  missingParameterCode?: string;
}

const patternCache = new Map<string, RegExp>();

function compilePattern(pattern: string): RegExp | undefined {
  let re = patternCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(`^(?:${pattern})$`, "u");
    } catch {
      try {
        re = new RegExp(`^(?:${pattern})$`);
      } catch {
        return undefined; // a Java-only construct: skip rather than refuse valid input
      }
    }
    patternCache.set(pattern, re);
  }
  return re;
}

/** `KeyId` → `keyId`, the way Coral names members in validation messages. */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

function describe(value: unknown, shape: Shape): string {
  if (shape.sensitive) return "Value";
  if (value === undefined || value === null) return "Value null";
  if (value instanceof Uint8Array) return "Value";
  return `Value '${echo(value)}'`;
}

/**
 * A member's value as a validation message echoes it: scalars as text, lists as `[a, b]`, structures and maps as
 * `{Key=k, Value=v}` (the way Coral's Java services print them), never `[object Object]`.
 */
function echo(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(echo).join(", ")}]`;
  if (value instanceof Uint8Array) return "**binary**";
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .map(([key, member]) => `${key}=${echo(member)}`)
      .join(", ")}}`;
  return String(value);
}

export function validateInput(
  model: ServiceModel,
  shapeName: string,
  input: Record<string, unknown>,
  style: ValidationStyle,
): void {
  const shape = shapeOf(model, shapeName);
  if (style.missingAsMissingParameter) {
    for (const name of shape.required ?? []) {
      if (input[name] === undefined)
        throw new AwsError(
          style.missingParameterCode ?? "MissingParameter",
          `The request must contain the parameter ${name}`,
          400,
        );
    }
  }
  const problems: string[] = [];
  checkStructure(model, shape, input, "", problems);
  if (problems.length > 0) {
    const count =
      problems.length === 1 ? "1 validation error detected" : `${problems.length} validation errors detected`;
    throw new AwsError(style.code, `${count}: ${problems.join("; ")}`, 400);
  }
}

/** A structure's required names and members, listed once per shape: every request's input is checked against them. */
const structures = new WeakMap<Shape, { required: ReadonlySet<string>; members: [string, MemberRef][] }>();

function structureOf(shape: Shape): { required: ReadonlySet<string>; members: [string, MemberRef][] } {
  let structure = structures.get(shape);
  if (!structure) {
    structure = { required: new Set(shape.required ?? []), members: Object.entries(shape.members ?? {}) };
    structures.set(shape, structure);
  }
  return structure;
}

function checkStructure(
  model: ServiceModel,
  shape: Shape,
  value: Record<string, unknown>,
  path: string,
  problems: string[],
): void {
  const { required, members } = structureOf(shape);
  for (const [name, ref] of members) {
    const member = value[name];
    const memberShape = shapeOf(model, ref.shape);
    const at = memberPath(path, name);
    if (member === undefined || member === null) {
      if (required.has(name))
        problems.push(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    checkValue(model, memberShape, member, at, problems);
  }
}

function checkValue(model: ServiceModel, shape: Shape, value: unknown, path: string, problems: string[]): void {
  const fail = (constraint: string) =>
    problems.push(`${describe(value, shape)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
  switch (shape.type) {
    case "structure":
      checkStructure(model, shape, value as Record<string, unknown>, path, problems);
      return;
    case "list": {
      const items = value as unknown[];
      if (shape.min !== undefined && items.length < shape.min)
        fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && items.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      const memberShape = shapeOf(model, shape.member!.shape);
      items.forEach((item, i) => checkValue(model, memberShape, item, `${path}.${i + 1}.member`, problems));
      return;
    }
    case "map": {
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min)
        fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      const keyShape = shapeOf(model, shape.key!.shape);
      const valueShape = shapeOf(model, shape.value!.shape);
      for (const [k, v] of entries) {
        checkValue(model, keyShape, k, `${path}.key`, problems);
        checkValue(model, valueShape, v, `${path}.value`, problems);
      }
      return;
    }
    case "string": {
      const text = value as string;
      if (shape.min !== undefined && text.length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && text.length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      if (shape.enum && !shape.enum.includes(text)) fail(`satisfy enum value set: [${shape.enum.join(", ")}]`);
      if (shape.pattern && !compilePattern(shape.pattern)?.test(text))
        fail(`satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case "blob": {
      const length = (value as Uint8Array).length;
      if (shape.min !== undefined && length < shape.min) fail(`have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max) fail(`have length less than or equal to ${shape.max}`);
      return;
    }
    case "integer":
    case "long":
    case "double":
    case "float": {
      const n = value as number;
      if (shape.min !== undefined && n < shape.min) fail(`have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && n > shape.max) fail(`have value less than or equal to ${shape.max}`);
      return;
    }
    default:
      return;
  }
}
