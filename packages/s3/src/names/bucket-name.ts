/**
 * Bucket-name rules as data, one rule set per profile. Each rule is a test and the reason shown in the
 * InvalidBucketName message, so adding a rule is one line.
 */
export interface NameRule {
  reason: string;
  valid: (name: string) => boolean;
}

const lengthRule: NameRule = {
  reason: "must be 3 to 63 characters long",
  valid: (n) => n.length >= 3 && n.length <= 63,
};
const edgesRule: NameRule = {
  reason: "must begin and end with a letter or number",
  valid: (n) => /^[a-z0-9](.*[a-z0-9])?$/.test(n),
};
const notPrefixed = (prefixes: string[]): NameRule => ({
  reason: `must not start with ${prefixes.join(", ")}`,
  valid: (n) => !prefixes.some((p) => n.startsWith(p)),
});

/** Amazon S3 general purpose buckets (userguide/bucketnamingrules.html). */
const AWS_RULES: NameRule[] = [
  lengthRule,
  { reason: "may contain only lowercase letters, numbers, dots and hyphens", valid: (n) => /^[a-z0-9.-]+$/.test(n) },
  edgesRule,
  { reason: "must not contain two adjacent periods", valid: (n) => !n.includes("..") },
  { reason: "must not be formatted as an IP address", valid: (n) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(n) },
  notPrefixed(["xn--", "sthree-", "amzn-s3-demo-"]),
  {
    reason: "must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3",
    valid: (n) => !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].some((s) => n.endsWith(s)),
  },
];

/** CoreWeave AI Object Storage (spec/inventory.md §3). */
const COREWEAVE_RULES: NameRule[] = [
  lengthRule,
  { reason: "may contain only lowercase letters, numbers and hyphens", valid: (n) => /^[a-z0-9-]+$/.test(n) },
  edgesRule,
  notPrefixed(["xn--", "cw-", "vip-", "log-stitcher-ch-"]),
  { reason: 'must not be "int"', valid: (n) => n !== "int" },
];

export const BUCKET_NAME_RULES = { aws: AWS_RULES, coreweave: COREWEAVE_RULES } as const;

/** The first rule `name` breaks, or undefined when the name is valid. */
export function findBucketNameViolation(rules: readonly NameRule[], name: string): string | undefined {
  return rules.find((rule) => !rule.valid(name))?.reason;
}
