import { createHash } from "node:crypto";
import { S3Error } from "../errors/s3-error.js";

/** Who makes a request, as policies see it. */
export interface Principal {
  kind: "user" | "service" | "anonymous";
  accessKeyId: string | undefined;
  /** IAM-style ARN (`arn:aws:iam::<account>:user/x`, `...:coreweave/<uid>`), or the service name. */
  arn: string;
  /** The account (AWS) or organization (CoreWeave) the principal belongs to. */
  accountId: string;
  /** Organization id for `cw:PrincipalOrgID` / `aws:PrincipalOrgID`. */
  orgId: string | undefined;
  /** Canonical user id (64 hex characters), as S3 shows in Owner/ID; one per account. */
  canonicalId: string;
  displayName: string;
}

/** A configured user: an access key pair mapped to a principal. */
export interface IdentityConfig {
  accessKeyId: string;
  secretAccessKey: string;
  /** e.g. `arn:aws:iam::111122223333:user/alice` or `arn:aws:iam::my-org:coreweave/alice`. */
  arn: string;
  orgId?: string;
  displayName?: string;
}

/** Account-level canonical id: stable, so buckets keep their owner across restarts. */
export function canonicalIdOf(accountId: string): string {
  return createHash("sha256").update(`inv-emulator-account:${accountId}`).digest("hex");
}

/** The account field of an IAM ARN (`arn:aws:iam::<account>:...`). */
export function accountOf(arn: string): string {
  return arn.split(":")[4] ?? "";
}

export const DEFAULT_ACCOUNT_ID = "000000000000";

/** Who any access key is when no users are configured: the owner of everything. */
export const DEFAULT_OWNER: Principal = {
  kind: "user",
  accessKeyId: undefined,
  arn: `arn:aws:iam::${DEFAULT_ACCOUNT_ID}:root`,
  accountId: DEFAULT_ACCOUNT_ID,
  orgId: undefined,
  canonicalId: canonicalIdOf(DEFAULT_ACCOUNT_ID),
  displayName: "inv-emulator",
};

export const ANONYMOUS: Principal = {
  kind: "anonymous",
  accessKeyId: undefined,
  arn: "*",
  accountId: "",
  orgId: undefined,
  canonicalId: "65a011a29cdf8ec533ec3d1ccaae921c",
  displayName: "anonymous",
};

export function principalOf(config: IdentityConfig): Principal {
  const accountId = accountOf(config.arn);
  return {
    kind: "user",
    accessKeyId: config.accessKeyId,
    arn: config.arn,
    accountId,
    orgId: config.orgId,
    canonicalId: canonicalIdOf(accountId),
    displayName: config.displayName ?? config.arn.split(/[:/]/).pop() ?? config.accessKeyId,
  };
}

/** Service principals the engine acts as (the inventory service writing reports). */
export function servicePrincipal(arn: string, kind: "service" | "user" = "service"): Principal {
  const accountId = kind === "service" ? "" : accountOf(arn);
  return {
    kind,
    accessKeyId: undefined,
    arn,
    accountId,
    orgId: undefined,
    canonicalId: canonicalIdOf(`service:${arn}`),
    displayName: arn,
  };
}

/**
 * The configured users. Without strict mode an unknown (or absent) key is the default owner, so tests
 * with dummy credentials just work; in strict mode it is InvalidAccessKeyId, and no key is anonymous.
 */
export class Identities {
  private readonly byKey = new Map<string, { principal: Principal; secret: string }>();

  constructor(
    configs: readonly IdentityConfig[],
    readonly strict: boolean,
  ) {
    for (const config of configs)
      this.byKey.set(config.accessKeyId, { principal: principalOf(config), secret: config.secretAccessKey });
  }

  find(accessKeyId: string): { principal: Principal; secret: string } | undefined {
    return this.byKey.get(accessKeyId);
  }

  resolve(accessKeyId: string | undefined): Principal {
    if (accessKeyId === undefined) return this.strict ? ANONYMOUS : DEFAULT_OWNER;
    const found = this.byKey.get(accessKeyId);
    if (found) return found.principal;
    if (this.strict) throw new S3Error("InvalidAccessKeyId", { fields: { AWSAccessKeyId: accessKeyId } });
    return DEFAULT_OWNER;
  }
}

/** The access key id of a SigV4 request, from the Authorization header or a presigned URL. */
export function accessKeyOf(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const credential = authorization?.match(/Credential=([^/,\s]+)/)?.[1] ?? query.get("X-Amz-Credential")?.split("/")[0];
  return credential || undefined;
}
