import { type AccessContext, evaluatePolicy } from "./evaluate-policy.js";
import type { PolicyDocument } from "./policy-document.js";

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** Who is asking, as far as a bucket policy's default goes. */
export interface BucketStanding {
  /** The principal owns the bucket. */
  isOwner: boolean;
  /** CoreWeave: once a bucket has a policy, principals it does not match are denied, the owner included. */
  policyIsExclusive: boolean;
}

/**
 * The bucket policy's part of a decision, the one rule every server of this repository applies: an explicit
 * Deny wins; then an Allow lets anyone in; without either, the owner is allowed (on an exclusive profile, only
 * while the bucket has no policy) and anyone else is refused. The engine's Authorizer calls it after the
 * organization policies; the s3rver plugin calls it for report deliveries.
 */
export function decideByBucketPolicy(
  policy: PolicyDocument | undefined,
  context: AccessContext,
  standing: BucketStanding,
): Decision {
  const effect = policy ? evaluatePolicy(policy, context) : "None";
  if (effect === "Deny") return { allowed: false, reason: "explicitly denied by the bucket policy" };
  if (effect === "Allow") return { allowed: true, reason: "allowed by the bucket policy" };
  if (standing.isOwner && !(policy && standing.policyIsExclusive))
    return { allowed: true, reason: "the principal owns the bucket" };
  return {
    allowed: false,
    reason: policy
      ? "no bucket policy statement allows it"
      : "the bucket has no policy and the principal does not own it",
  };
}
