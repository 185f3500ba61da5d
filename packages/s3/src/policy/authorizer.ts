import { canonicalIdOf, type Principal } from "../auth/identity.js";
import { S3Error } from "../errors/s3-error.js";
import { getHeader, type S3Request } from "../http/s3-request.js";
import type { MetadataStore } from "../storage/metadata-store.js";
import { OPERATION_ACTIONS, type OperationAction, OWNER_ALWAYS_ALLOWED, resourceArn } from "./actions.js";
import { type Decision, decideByBucketPolicy } from "./bucket-policy-decision.js";
import { normalizeKey, requestKeys, serviceKeys } from "./condition-keys.js";
import { type AccessContext, evaluatePolicy } from "./evaluate-policy.js";
import { type PolicyDocument, type PolicyRules, parsePolicy } from "./policy-document.js";

/** A question for the authorizer: may `principal` do `action` on bucket/key, given these condition keys? */
export interface AccessRequest {
  principal: Principal;
  action: string;
  bucket: string | undefined;
  key?: string;
  /** Condition keys (lower-case names), or a function computing them only when a policy asks;
   * `s3:ExistingObjectTag/*` are looked up on demand. */
  keys?: Record<string, string | undefined> | (() => Record<string, string | undefined>);
  /** Operation name, for the owner's always-allowed policy operations. */
  operation?: string;
}

export interface AuthorizerOptions {
  /** Extra action names that also grant an operation (CoreWeave's documents use s3:ListObjects and
   * s3:ListInventoryConfigurations). */
  operationAliases: Readonly<Record<string, readonly string[]>>;
  /** CoreWeave: `arn:aws:s3:::bucket/*` also covers bucket-level actions on that bucket. */
  objectResourcesCoverBucket: boolean;
  /** CoreWeave: once a bucket has a policy, principals it does not match are denied, the owner included. */
  policyIsExclusive: boolean;
  /** Organization access policies (CoreWeave), evaluated before bucket policies. */
  organizationPolicies: readonly PolicyDocument[];
  rules: PolicyRules;
}

/**
 * Decides every request the way S3 and CoreWeave describe it: an explicit Deny in an organization or
 * bucket policy wins; organization policies, when configured, must allow; the bucket owner is allowed
 * unless denied (on CoreWeave, only while the bucket has no policy); anyone else needs an Allow.
 */
export class Authorizer {
  private readonly parsed = new Map<string, { text: string; document: PolicyDocument }>();

  constructor(
    private readonly metadata: MetadataStore,
    private readonly options: AuthorizerOptions,
  ) {}

  /** The parsed policy of a bucket, cached by text. */
  bucketPolicy(bucket: string, text: string | null): PolicyDocument | undefined {
    if (text === null) return undefined;
    const cached = this.parsed.get(bucket);
    if (cached?.text === text) return cached.document;
    const document = parsePolicy(text, bucket, this.options.rules);
    this.parsed.set(bucket, { text, document });
    return document;
  }

  decide(request: AccessRequest): Decision {
    const bucket = request.bucket === undefined ? undefined : this.metadata.getBucket(request.bucket);
    const context = this.contextFor(request);
    const orgEffects = this.options.organizationPolicies.map((policy) => evaluatePolicy(policy, context));
    if (orgEffects.includes("Deny"))
      return { allowed: false, reason: "explicitly denied by an organization access policy" };
    const isOwner = bucket !== undefined && bucket.ownerId === request.principal.canonicalId;
    if (isOwner && request.operation && OWNER_ALWAYS_ALLOWED.has(request.operation)) {
      return { allowed: true, reason: "the bucket owner may always manage the bucket policy" };
    }
    if (orgEffects.length > 0 && !orgEffects.includes("Allow")) {
      return { allowed: false, reason: "no organization access policy allows it" };
    }
    if (bucket === undefined) {
      // Service-level calls (ListBuckets) and buckets that do not exist (the operation answers NoSuchBucket).
      return request.principal.kind === "anonymous"
        ? { allowed: false, reason: "anonymous requests need a bucket policy that allows them" }
        : { allowed: true, reason: "no bucket involved" };
    }
    const policy = this.bucketPolicy(bucket.name, this.metadata.getBucketPolicy(bucket.name));
    return decideByBucketPolicy(policy, context, { isOwner, policyIsExclusive: this.options.policyIsExclusive });
  }

  /** Like decide, but throws AccessDenied. */
  authorize(request: AccessRequest): void {
    if (!this.decide(request).allowed) throw new S3Error("AccessDenied");
  }

  /** Authorizes an S3 operation of the route table, before its handler runs. */
  authorizeOperation(
    operation: string,
    request: S3Request,
    access: OperationAction | undefined = OPERATION_ACTIONS[operation],
  ): void {
    this.checkExpectedOwner(request);
    if (!access) return;
    const versioned = request.query.has("versionId") && access.versioned;
    this.authorize({
      principal: request.principal,
      action: versioned || access.action,
      bucket: access.resource === "service" ? undefined : request.bucket,
      ...(access.resource === "object" && request.key !== undefined ? { key: request.key } : {}),
      keys: () => requestKeys(request),
      operation,
    });
  }

  /** x-amz-expected-bucket-owner: a bucket owned by another account is AccessDenied, whatever the policy. */
  private checkExpectedOwner(request: S3Request): void {
    const expected = getHeader(request, "x-amz-expected-bucket-owner");
    if (expected === undefined || request.bucket === undefined) return;
    const bucket = this.metadata.getBucket(request.bucket);
    if (bucket && bucket.ownerId !== canonicalIdOf(expected)) throw new S3Error("AccessDenied");
  }

  /** Condition keys of a request made by the engine itself (a service principal). */
  static serviceKeys = serviceKeys;

  private contextFor(request: AccessRequest): AccessContext {
    let keys: Record<string, string | undefined> | undefined;
    const lookup = (key: string) => {
      keys ??= typeof request.keys === "function" ? request.keys() : (request.keys ?? {});
      return keys[key];
    };
    return {
      principal: request.principal,
      actions: [request.action, ...((request.operation && this.options.operationAliases[request.operation]) || [])],
      resources:
        request.key === undefined && request.bucket !== undefined && this.options.objectResourcesCoverBucket
          ? [resourceArn(request.bucket), `${resourceArn(request.bucket)}/`]
          : [resourceArn(request.bucket, request.key)],
      conditionValue: (name) => {
        const key = normalizeKey(name);
        if (key.startsWith("s3:existingobjecttag/"))
          return this.existingTag(request, key.slice("s3:existingobjecttag/".length));
        const value = lookup(key);
        if (value === undefined) return undefined;
        return key === "s3:requestobjecttagkeys" ? value.split("\u0000") : [value];
      },
    };
  }

  private existingTag(request: AccessRequest, tagName: string): string[] | undefined {
    if (request.bucket === undefined || request.key === undefined) return undefined;
    const keys = typeof request.keys === "function" ? request.keys() : request.keys;
    const version = this.metadata.getVersion(request.bucket, request.key, keys?.["s3:versionid"]);
    const tag = version?.tags.find((t) => t.key === tagName);
    return tag ? [tag.value] : undefined;
  }
}
