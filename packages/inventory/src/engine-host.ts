import { type Engine, S3Error, servicePrincipal, writeObjectAs } from "@inv-emulator/s3";
import { deliveryKeys, type InventoryHost } from "./host.js";
import { INVENTORY_PROFILES } from "./profiles.js";

const hosts = new WeakMap<Engine, InventoryHost>();

/** The emulator's engine as an inventory host (one per engine). */
export function engineHost(engine: Engine): InventoryHost {
  let host = hosts.get(engine);
  if (host) return host;
  const profile = INVENTORY_PROFILES[engine.profileName];
  const principal = servicePrincipal(profile.servicePrincipal.arn, profile.servicePrincipal.kind);
  const sourceKeys = (sourceBucket: string) => {
    const source = engine.metadata.getBucket(sourceBucket);
    if (!source) throw new S3Error("NoSuchBucket", { fields: { BucketName: sourceBucket } });
    return deliveryKeys(sourceBucket, source.ownerAccountId);
  };
  host = {
    profile,
    keepsVersions: true,
    requireBucket: (name) => void engine.requireBucket(name),
    bucketExists: (name) => engine.metadata.getBucket(name) !== undefined,
    bucketNames: () => engine.metadata.listBuckets().map((bucket) => bucket.name),
    configurations: engine.metadata.documents("inventory"),
    runRecords: engine.metadata.documents("inventory-run"),
    serviceMayWrite: (bucket, key, sourceBucket) =>
      engine.authorizer.decide({ principal, action: "s3:PutObject", bucket, key, keys: sourceKeys(sourceBucket) })
        .allowed,
    openSnapshot: () => engine.metadata.openSnapshot(),
    writeAsService: (bucket, key, body, options) =>
      writeObjectAs(engine, principal, {
        bucket,
        key,
        body,
        contentType: options.contentType,
        ...(options.encryption
          ? {
              encryption: {
                type: options.encryption.type,
                ...(options.encryption.kmsKeyId ? { kmsKeyId: options.encryption.kmsKeyId } : {}),
              },
            }
          : {}),
        keys: sourceKeys(options.sourceBucket),
      }),
    now: () => engine.now(),
  };
  hosts.set(engine, host);
  return host;
}
