import { readFileSync, rmSync, writeFileSync } from "node:fs";
import {
  evaluatePolicy,
  normalizeKey,
  type PolicyDocument,
  type PolicyRules,
  type Principal,
  parsePolicy,
  S3Error,
  serviceKeys,
} from "@inv-emulator/s3";

/**
 * Bucket policies for s3rver, which has none: the policy document of each bucket, validated with the main
 * engine's parser, kept as a file in the bucket's directory. They decide one thing only, whether the inventory
 * service may deliver a report; s3rver's own operations do not consult them.
 */
export class BucketPolicies {
  private readonly parsed = new Map<string, { text: string; document: PolicyDocument }>();

  constructor(
    private readonly fileOf: (bucket: string) => string,
    private readonly rules: PolicyRules,
  ) {}

  /** The document as it was put, or undefined. */
  get(bucket: string): string | undefined {
    try {
      return readFileSync(this.fileOf(bucket), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Validates (MalformedPolicy with S3's messages) and stores the document. */
  put(bucket: string, text: string): void {
    const document = parsePolicy(text, bucket, this.rules);
    try {
      writeFileSync(this.fileOf(bucket), text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT")
        throw new S3Error("NoSuchBucket", { fields: { BucketName: bucket } });
      throw error;
    }
    this.parsed.set(bucket, { text, document });
  }

  delete(bucket: string): void {
    rmSync(this.fileOf(bucket), { force: true });
    this.parsed.delete(bucket);
  }

  /**
   * Whether the bucket policy allows `principal` to s3:PutObject `key` with these condition keys, as the
   * engine's authorizer decides it for a principal that owns nothing: only an Allow without a Deny lets it in.
   */
  decidePut(
    principal: Principal,
    bucket: string,
    key: string,
    keys: Record<string, string | undefined>,
  ): { allowed: boolean; reason: string } {
    const document = this.document(bucket);
    if (!document) return { allowed: false, reason: "the bucket has no policy" };
    const values = serviceKeys(principal, keys);
    const effect = evaluatePolicy(document, {
      principal,
      actions: ["s3:PutObject"],
      resources: [`arn:aws:s3:::${bucket}/${key}`],
      conditionValue: (name) => {
        const value = values[normalizeKey(name)];
        return value === undefined ? undefined : [value];
      },
    });
    if (effect === "Deny") return { allowed: false, reason: "explicitly denied by the bucket policy" };
    if (effect === "Allow") return { allowed: true, reason: "allowed by the bucket policy" };
    return { allowed: false, reason: "no bucket policy statement allows it" };
  }

  private document(bucket: string): PolicyDocument | undefined {
    const text = this.get(bucket);
    if (text === undefined) return undefined;
    const cached = this.parsed.get(bucket);
    if (cached?.text === text) return cached.document;
    const document = parsePolicy(text, bucket, this.rules);
    this.parsed.set(bucket, { text, document });
    return document;
  }
}
