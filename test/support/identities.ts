/**
 * Identities the policy, strict-auth and inventory tests configure, so that the same person has the same keys and
 * ARN in every file.
 */

/** aws profile: alice's account (111122223333) owns the buckets. */
export const alice = {
  accessKeyId: "alice-key",
  secretAccessKey: "alice-secret",
  arn: "arn:aws:iam::111122223333:user/alice",
};

/** aws profile: bob is another account (444455556666). */
export const bob = { accessKeyId: "bob-key", secretAccessKey: "bob-secret", arn: "arn:aws:iam::444455556666:user/bob" };

/** coreweave profile: user `name` of organization `org` (the org id is also the ARN's account, as on CoreWeave). */
export const coreweaveUser = (name: string, org: string) => ({
  accessKeyId: `${name}-key`,
  secretAccessKey: `${name}-secret`,
  arn: `arn:aws:iam::${org}:coreweave/${name}`,
  orgId: org,
});
