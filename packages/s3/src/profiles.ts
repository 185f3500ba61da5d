import { BUCKET_NAME_RULES } from "./names/bucket-name.js";
import type { PolicyRules } from "./policy/policy-document.js";

/** AWS principals: an account id, or an IAM/STS ARN of a 12-digit account. */
const AWS_POLICY_RULES: PolicyRules = {
  principalKinds: ["AWS", "Service", "CanonicalUser", "Federated"],
  isValidPrincipalArn: (arn) =>
    /^\d{12}$/.test(arn) ||
    /^arn:aws:(iam|sts)::\d{12}:(root|(user|role|group|assumed-role|federated-user)\/.+)$/.test(arn),
};

/** CoreWeave principals: `CW` (or `AWS`) keys with org-scoped ARNs such as `arn:aws:iam::<org>:coreweave/<uid>`. */
const COREWEAVE_POLICY_RULES: PolicyRules = {
  principalKinds: ["AWS", "CW", "Service"],
  isValidPrincipalArn: (arn) => /^arn:aws:iam::[^:\s]+:.+$/.test(arn) || /^[a-z0-9-]+$/i.test(arn),
};

/** What differs between the services the engine imitates. Inventory adds its own profile facts. */
export const PROFILES = {
  aws: {
    bucketNameRules: BUCKET_NAME_RULES.aws,
    defaultRegion: "us-east-1",
    policyRules: AWS_POLICY_RULES,
    policyIsExclusive: false,
    operationAliases: {},
    objectResourcesCoverBucket: false,
  },
  coreweave: {
    bucketNameRules: BUCKET_NAME_RULES.coreweave,
    defaultRegion: "US-EAST-04A",
    policyRules: COREWEAVE_POLICY_RULES,
    // spec/inventory.md §3: once a bucket has a policy, unmatched principals (the owner too) are denied.
    policyIsExclusive: true,
    // The action names CoreWeave's own inventory documents grant (seeds/000): inferred, not in AWS's list.
    operationAliases: {
      ListObjects: ["s3:ListObjects"],
      ListObjectsV2: ["s3:ListObjects"],
      ListBucketInventoryConfigurations: ["s3:ListInventoryConfigurations"],
      DeleteBucketInventoryConfiguration: ["s3:DeleteInventoryConfiguration"],
    },
    // CoreWeave's source-bucket example grants s3:PutInventoryConfiguration on `arn:aws:s3:::SOURCE/*` only
    // and is documented to work, so its resources are read as covering the bucket itself (inferred).
    objectResourcesCoverBucket: true,
  },
} as const;

export type ProfileName = keyof typeof PROFILES;
export type Profile = (typeof PROFILES)[ProfileName];

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(PROFILES, value);
}
