import { type Engine, S3Error, servicePrincipal } from "@inv-emulator/s3";
import type { InventoryHost } from "./host.js";
import { INVENTORY_PROFILES } from "./profiles.js";

const hosts = new WeakMap<Engine, InventoryHost>();

/** The emulator's engine as an inventory host (one per engine). */
export function engineHost(engine: Engine): InventoryHost {
  let host = hosts.get(engine);
  if (host) return host;
  const profile = INVENTORY_PROFILES[engine.profileName];
  const principal = servicePrincipal(profile.servicePrincipal.arn, profile.servicePrincipal.kind);
  host = {
    profile,
    requireBucket: (name) => void engine.requireBucket(name),
    bucketExists: (name) => engine.metadata.getBucket(name) !== undefined,
    configurations: engine.metadata.documents("inventory"),
    serviceMayWrite(bucket, key, sourceBucket) {
      const source = engine.metadata.getBucket(sourceBucket);
      if (!source) throw new S3Error("NoSuchBucket", { fields: { BucketName: sourceBucket } });
      // The keys AWS's documented destination policy conditions on (spec/inventory.md §2.12).
      const keys = {
        "aws:sourcearn": `arn:aws:s3:::${sourceBucket}`,
        "aws:sourceaccount": source.ownerAccountId,
        "s3:x-amz-acl": "bucket-owner-full-control",
      };
      return engine.authorizer.decide({ principal, action: "s3:PutObject", bucket, key, keys }).allowed;
    },
  };
  hosts.set(engine, host);
  return host;
}
