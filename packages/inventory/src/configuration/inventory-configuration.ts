/** An inventory configuration as stored: the parsed PUT document, element for element. */
export interface InventoryConfiguration {
  id: string;
  isEnabled: boolean;
  /** Filter/Prefix; undefined when the PUT had no Filter. */
  filterPrefix?: string;
  destination: {
    /** `arn:aws:s3:::<bucket>` */
    bucketArn: string;
    accountId?: string;
    format: string;
    prefix?: string;
    encryption?: { type: "SSE-S3" } | { type: "SSE-KMS"; keyId: string };
  };
  frequency: "Daily" | "Weekly";
  /** As written: All, Current (or CoreWeave's Latest). */
  includedObjectVersions: string;
  /** undefined when the PUT had no OptionalFields element. */
  optionalFields?: string[];
}

/** The destination bucket's name, from its ARN. */
export function destinationBucket(configuration: InventoryConfiguration): string {
  return configuration.destination.bucketArn.slice("arn:aws:s3:::".length);
}

/** Whether the report lists every version or only current ones (`Latest` is CoreWeave's word for Current). */
export function includesAllVersions(configuration: InventoryConfiguration): boolean {
  return configuration.includedObjectVersions === "All";
}
