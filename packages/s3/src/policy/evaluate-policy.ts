import type { Principal } from "../auth/identity.js";
import { evaluateCondition } from "./condition-operators.js";
import type { PolicyDocument, PrincipalSpec, Statement } from "./policy-document.js";
import { matchesWildcard } from "./wildcard.js";

/** What a request looks like to a policy: who, which action on which resource, and the condition keys. */
export interface AccessContext {
  principal: Principal;
  /** The action's names: its IAM name plus any alias the profile accepts for the same operation. */
  actions: string[];
  /** The resource ARN, plus the forms a profile treats as the same resource. */
  resources: string[];
  /** Condition key lookup; keys arrive as written in the policy (case-insensitive except tag names). */
  conditionValue(key: string): string[] | undefined;
}

export type PolicyEffect = "Allow" | "Deny" | "None";

function principalMatches(spec: PrincipalSpec, principal: Principal): boolean {
  if (spec === "*") return true;
  return Object.entries(spec).some(([kind, values]) =>
    (values as string[]).some((value) => {
      if (value === "*") return true;
      if (kind === "Service") return principal.kind === "service" && value === principal.arn;
      if (kind === "CanonicalUser") return value === principal.canonicalId;
      // An account id or its root ARN names every principal of that account.
      return (
        value === principal.arn || value === principal.accountId || value === `arn:aws:iam::${principal.accountId}:root`
      );
    }),
  );
}

function statementApplies(statement: Statement, context: AccessContext): boolean {
  const principalOk = statement.principal
    ? principalMatches(statement.principal, context.principal)
    : !principalMatches(statement.notPrincipal as PrincipalSpec, context.principal);
  if (!principalOk) return false;
  const actionMatches = (patterns: string[]) =>
    patterns.some((p) => context.actions.some((a) => matchesWildcard(p, a, true)));
  if (statement.action ? !actionMatches(statement.action) : actionMatches(statement.notAction as string[]))
    return false;
  const resourceMatches = (patterns: string[]) =>
    patterns.some((p) => context.resources.some((r) => matchesWildcard(p, r)));
  if (statement.resource ? !resourceMatches(statement.resource) : resourceMatches(statement.notResource as string[]))
    return false;
  return Object.entries(statement.condition).every(([operator, block]) =>
    Object.entries(block).every(([key, values]) => evaluateCondition(operator, context.conditionValue(key), values)),
  );
}

/** Explicit Deny wins over Allow; no matching statement is "None" (the caller decides the default). */
export function evaluatePolicy(policy: PolicyDocument, context: AccessContext): PolicyEffect {
  let effect: PolicyEffect = "None";
  for (const statement of policy.statements) {
    if (!statementApplies(statement, context)) continue;
    if (statement.effect === "Deny") return "Deny";
    effect = "Allow";
  }
  return effect;
}
