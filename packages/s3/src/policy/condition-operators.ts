import { BlockList, isIP } from "node:net";
import { matchesWildcard } from "./wildcard.js";

/**
 * IAM condition operators as data: each is a test of one request value against one policy value, and
 * whether the operator is negated (true when NO policy value matches). `...IfExists`, `ForAnyValue:` and
 * `ForAllValues:` are modifiers applied in evaluateCondition, not separate entries.
 */
type ValueTest = (requestValue: string, policyValue: string) => boolean;

const number = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
const date = (value: string) => (/^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value));
const arnLike: ValueTest = (request, policy) => {
  // ARNs match field by field (six colon-separated parts); wildcards stay inside a field except the last.
  const requestParts = request.split(":");
  const policyParts = policy.split(":");
  if (requestParts.length < 6 || policyParts.length < 6) return false;
  const head = (parts: string[]) => parts.slice(0, 5);
  const tail = (parts: string[]) => parts.slice(5).join(":");
  return (
    head(policyParts).every((part, i) => matchesWildcard(part, requestParts[i] as string)) &&
    matchesWildcard(tail(policyParts), tail(requestParts))
  );
};
const inSubnet: ValueTest = (request, policy) => {
  const address = request.replace(/^::ffff:/, "");
  const [network = "", prefix] = policy.split("/");
  const family = isIP(network) === 6 ? "ipv6" : "ipv4";
  if (isIP(address) === 0 || isIP(network) === 0 || (isIP(address) === 6) !== (family === "ipv6")) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix === undefined ? (family === "ipv6" ? 128 : 32) : Number(prefix), family);
  return list.check(address, family);
};

export const CONDITION_OPERATORS: Record<string, { test: ValueTest; negated: boolean }> = {
  StringEquals: { test: (r, p) => r === p, negated: false },
  StringNotEquals: { test: (r, p) => r === p, negated: true },
  StringEqualsIgnoreCase: { test: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  StringNotEqualsIgnoreCase: { test: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: true },
  StringLike: { test: (r, p) => matchesWildcard(p, r), negated: false },
  StringNotLike: { test: (r, p) => matchesWildcard(p, r), negated: true },
  ArnEquals: { test: arnLike, negated: false },
  ArnLike: { test: arnLike, negated: false },
  ArnNotEquals: { test: arnLike, negated: true },
  ArnNotLike: { test: arnLike, negated: true },
  NumericEquals: { test: (r, p) => number(r) === number(p), negated: false },
  NumericNotEquals: { test: (r, p) => number(r) === number(p), negated: true },
  NumericLessThan: { test: (r, p) => number(r) < number(p), negated: false },
  NumericLessThanEquals: { test: (r, p) => number(r) <= number(p), negated: false },
  NumericGreaterThan: { test: (r, p) => number(r) > number(p), negated: false },
  NumericGreaterThanEquals: { test: (r, p) => number(r) >= number(p), negated: false },
  DateEquals: { test: (r, p) => date(r) === date(p), negated: false },
  DateNotEquals: { test: (r, p) => date(r) === date(p), negated: true },
  DateLessThan: { test: (r, p) => date(r) < date(p), negated: false },
  DateLessThanEquals: { test: (r, p) => date(r) <= date(p), negated: false },
  DateGreaterThan: { test: (r, p) => date(r) > date(p), negated: false },
  DateGreaterThanEquals: { test: (r, p) => date(r) >= date(p), negated: false },
  Bool: { test: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false },
  IpAddress: { test: inSubnet, negated: false },
  NotIpAddress: { test: inSubnet, negated: true },
};

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; undefined for an unknown operator. */
export function parseOperator(
  name: string,
): { operator: string; setModifier: "ForAnyValue" | "ForAllValues" | undefined; ifExists: boolean } | undefined {
  const match = name.match(/^(?:(ForAnyValue|ForAllValues):)?(\w+?)(IfExists)?$/);
  if (!match) return undefined;
  const operator = match[2] as string;
  if (operator !== "Null" && !CONDITION_OPERATORS[operator]) return undefined;
  return {
    operator,
    setModifier: match[1] as "ForAnyValue" | "ForAllValues" | undefined,
    ifExists: match[3] !== undefined,
  };
}

/**
 * One condition block entry: `operatorName: { key: policyValues }` for a single key.
 * Missing keys: a positive operator fails, a negated one holds, IfExists holds, Null tests presence.
 */
export function evaluateCondition(
  operatorName: string,
  requestValues: string[] | undefined,
  policyValues: string[],
): boolean {
  const parsed = parseOperator(operatorName);
  if (!parsed) return false;
  if (parsed.operator === "Null") {
    const absent = requestValues === undefined || requestValues.length === 0;
    return policyValues.some((value) => (value.toLowerCase() === "true") === absent);
  }
  const { test, negated } = CONDITION_OPERATORS[parsed.operator] as { test: ValueTest; negated: boolean };
  const present = requestValues !== undefined && requestValues.length > 0;
  if (!present) {
    if (parsed.setModifier === "ForAllValues") return true;
    if (parsed.ifExists) return true;
    return negated && parsed.setModifier === undefined;
  }
  const matchesAny = (value: string) => policyValues.some((policyValue) => test(value, policyValue));
  const values = requestValues as string[];
  const holds = (value: string) => (negated ? !matchesAny(value) : matchesAny(value));
  if (parsed.setModifier === "ForAllValues") return values.every(holds);
  if (parsed.setModifier === "ForAnyValue") return values.some(holds);
  return negated ? !values.some(matchesAny) : values.some(matchesAny);
}
