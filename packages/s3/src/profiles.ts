import { BUCKET_NAME_RULES } from "./names/bucket-name.js";

/** What differs between the services the engine imitates. Inventory adds its own profile facts. */
export const PROFILES = {
  aws: { bucketNameRules: BUCKET_NAME_RULES.aws, defaultRegion: "us-east-1" },
  coreweave: { bucketNameRules: BUCKET_NAME_RULES.coreweave, defaultRegion: "US-EAST-04A" },
} as const;

export type ProfileName = keyof typeof PROFILES;
export type Profile = (typeof PROFILES)[ProfileName];

export function isProfileName(value: string): value is ProfileName {
  return Object.hasOwn(PROFILES, value);
}
