import { readFileSync, rmSync, writeFileSync } from "node:fs";
import {
  type AccessContext,
  type Decision,
  decideByBucketPolicy,
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
   * Whether `principal` may s3:PutObject `key` with these condition keys, decided by the engine's own rule
   * (decideByBucketPolicy) for a principal that owns no bucket: the inventory service, the only writer asked.
   */
  decidePut(principal: Principal, bucket: string, key: string, keys: Record<string, string | undefined>): Decision {
    const values = serviceKeys(principal, keys);
    const context: AccessContext = {
      principal,
      actions: ["s3:PutObject"],
      resources: [`arn:aws:s3:::${bucket}/${key}`],
      conditionValue: (name) => {
        const value = values[normalizeKey(name)];
        return value === undefined ? undefined : [value];
      },
    };
    return decideByBucketPolicy(this.document(bucket), context, { isOwner: false, policyIsExclusive: false });
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
