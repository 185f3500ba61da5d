import { S3Error } from "../errors/s3-error.js";
import { parseOperator } from "./condition-operators.js";
import { matchesWildcard } from "./wildcard.js";

/** Principal keys a policy may use; `CW` is CoreWeave's spelling of `AWS`. */
export const PRINCIPAL_KINDS = ["AWS", "CW", "Service", "CanonicalUser", "Federated"] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];
export type PrincipalSpec = "*" | Partial<Record<PrincipalKind, string[]>>;

export interface Statement {
  sid?: string;
  effect: "Allow" | "Deny";
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** operator name -> condition key (as written) -> policy values. */
  condition: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  statements: Statement[];
}

/** Bucket policies are limited to 20 KB, counted without insignificant whitespace. */
export const MAX_POLICY_BYTES = 20 * 1024;

const malformed = (message: string) => new S3Error("MalformedPolicy", { message });
const asList = (value: unknown): string[] | undefined => {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (!list.every((item) => typeof item === "string")) return undefined;
  return list as string[];
};

/** Which principals a profile's policies may name, and how an IAM principal ARN must look. */
export interface PolicyRules {
  principalKinds: readonly PrincipalKind[];
  isValidPrincipalArn: (arn: string) => boolean;
}

function parsePrincipal(value: unknown, rules: PolicyRules): PrincipalSpec {
  if (value === "*") return "*";
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw malformed("Invalid principal in policy");
  const spec: Partial<Record<PrincipalKind, string[]>> = {};
  for (const [kind, raw] of Object.entries(value)) {
    const values = asList(raw);
    if (!rules.principalKinds.includes(kind as PrincipalKind) || !values?.length)
      throw malformed("Invalid principal in policy");
    const valid = (entry: string) =>
      entry === "*" ||
      (kind === "Service"
        ? /^[a-z0-9.-]+$/.test(entry)
        : kind === "CanonicalUser"
          ? /^[0-9a-f]{64}$/.test(entry)
          : rules.isValidPrincipalArn(entry));
    if (!values.every(valid)) throw malformed("Invalid principal in policy");
    spec[kind as PrincipalKind] = values;
  }
  return spec;
}

function parseCondition(value: unknown): Statement["condition"] {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed("Invalid Condition type");
  const condition: Statement["condition"] = {};
  for (const [operator, block] of Object.entries(value)) {
    if (!parseOperator(operator)) throw malformed(`Invalid Condition type : ${operator}`);
    if (typeof block !== "object" || block === null || Array.isArray(block)) throw malformed("Invalid Condition type");
    condition[operator] = {};
    for (const [key, raw] of Object.entries(block)) {
      const values = asList(
        Array.isArray(raw) ? raw.map(String) : typeof raw === "boolean" || typeof raw === "number" ? String(raw) : raw,
      );
      if (!values) throw malformed("Invalid Condition type");
      (condition[operator] as Record<string, string[]>)[key] = values;
    }
  }
  return condition;
}

const ACTION_PATTERN = /^(\*|s3:[A-Za-z0-9*?]+)$/;
const RESOURCE_PATTERN = /^(\*|arn:aws:s3:::.+)$/;

/** Whether some string starting with `prefix` matches the wildcard `pattern` (`*`, `?`): `arn:aws:s3:::b*` and
 * `arn:aws:s3:::b/x*` can name objects of bucket `b`, `arn:aws:s3:::other/*` cannot. */
function couldMatchWithin(pattern: string, prefix: string): boolean {
  const close = (states: Set<number>) => {
    for (const i of states) if (pattern[i] === "*") states.add(i + 1);
    return states;
  };
  let states = close(new Set([0]));
  for (const char of prefix) {
    const next = new Set<number>();
    for (const i of states) {
      if (pattern[i] === "*") next.add(i);
      else if (pattern[i] === "?" || pattern[i] === char) next.add(i + 1);
    }
    states = close(next);
    if (states.size === 0) return false;
  }
  return true;
}

function parseStatement(raw: unknown, bucket: string | undefined, rules: PolicyRules): Statement {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw malformed("Policy statement must be an object");
  const s = raw as Record<string, unknown>;
  if (s.Effect === undefined) throw malformed("Missing required field Effect");
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw malformed(`Invalid effect: ${String(s.Effect)}`);
  if ((s.Principal === undefined) === (s.NotPrincipal === undefined))
    throw malformed("Missing required field Principal");
  if ((s.Action === undefined) === (s.NotAction === undefined)) throw malformed("Missing required field Action");
  // Terraform's jsonencode keeps the case it is given; CoreWeave's example writes `resource`.
  const resourceField = s.Resource ?? s.resource;
  if ((resourceField === undefined) === (s.NotResource === undefined))
    throw malformed("Missing required field Resource");
  const actions = asList(s.Action ?? s.NotAction);
  if (!actions?.length || !actions.every((a) => ACTION_PATTERN.test(a))) throw malformed("Policy has invalid action");
  const resources = asList(resourceField ?? s.NotResource);
  if (!resources?.length || !resources.every((r) => RESOURCE_PATTERN.test(r)))
    throw malformed("Policy has invalid resource");
  const ownBucket = `arn:aws:s3:::${bucket}`;
  const appliesHere = (r: string) => r === "*" || matchesWildcard(r, ownBucket) || couldMatchWithin(r, `${ownBucket}/`);
  if (bucket !== undefined && resourceField !== undefined && !resources.some(appliesHere)) {
    throw malformed("Action does not apply to any resource(s) in statement");
  }
  return {
    ...(typeof s.Sid === "string" ? { sid: s.Sid } : {}),
    effect: s.Effect,
    ...(s.Principal !== undefined
      ? { principal: parsePrincipal(s.Principal, rules) }
      : { notPrincipal: parsePrincipal(s.NotPrincipal, rules) }),
    ...(s.Action !== undefined ? { action: actions } : { notAction: actions }),
    ...(resourceField !== undefined ? { resource: resources } : { notResource: resources }),
    condition: parseCondition(s.Condition),
  };
}

/**
 * Parses and validates a bucket policy (or, with no bucket, an organization policy) the way S3's PutBucketPolicy does, with its MalformedPolicy
 * messages (spec/clients.md §1.5 records the JSON and Statement ones against real AWS).
 */
export function parsePolicy(text: string, bucket: string | undefined, rules: PolicyRules): PolicyDocument {
  if (!text.trimStart().startsWith("{")) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed("Policies must be valid JSON and the first byte must be '{'");
  }
  if (Buffer.byteLength(JSON.stringify(json)) > MAX_POLICY_BYTES)
    throw malformed("Policy exceeds the maximum allowed document size.");
  const statements = (json as Record<string, unknown>).Statement;
  if (statements === undefined) throw malformed("Missing required field Statement");
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw malformed("Could not parse the policy: Statement is empty!");
  return { statements: list.map((statement) => parseStatement(statement, bucket, rules)) };
}
