export {
  ANONYMOUS,
  canonicalIdOf,
  DEFAULT_OWNER,
  type IdentityConfig,
  type Principal,
  servicePrincipal,
} from "./auth/identity.js";
export { type BodyLimits, readSmallBody } from "./body/request-body.js";
export { DEFAULT_LIMITS, Engine, type EngineOptions } from "./engine.js";
export { ERROR_CODES, type S3ErrorCode } from "./errors/error-codes.js";
export { S3Error, toS3Error } from "./errors/s3-error.js";
export {
  answerControl,
  CONTROL_PREFIX,
  type ControlAnswer,
  type ControlRoute,
  readJsonBody,
} from "./http/control-route.js";
export type { Handler, Route, Target } from "./http/router.js";
export type { S3Request } from "./http/s3-request.js";
export { getHeader } from "./http/s3-request.js";
export type { S3Response } from "./http/s3-response.js";
export { emptyResponse, type HeaderValues, xmlResponse } from "./http/s3-response.js";
export {
  type EmulatorOptions,
  type EmulatorPlugin,
  type RunningEmulator,
  startEmulator,
} from "./http/server.js";
export {
  type SeedObject,
  seedObjects,
  syntheticObjects,
  type WriteObjectInput,
  writeObjectAs,
} from "./internal-api.js";
export { BUCKET_NAME_RULES, findBucketNameViolation } from "./names/bucket-name.js";
export { decodeContinuationToken, encodeContinuationToken } from "./operations/continuation-token.js";
export { readDocumentBody, readXmlDocument } from "./operations/request-documents.js";
export { OPERATION_ACTIONS, type OperationAction } from "./policy/actions.js";
export type { AccessRequest } from "./policy/authorizer.js";
export { type BucketStanding, type Decision, decideByBucketPolicy } from "./policy/bucket-policy-decision.js";
export { normalizeKey, serviceKeys } from "./policy/condition-keys.js";
export { type AccessContext, evaluatePolicy, type PolicyEffect } from "./policy/evaluate-policy.js";
export { MAX_POLICY_BYTES, type PolicyDocument, type PolicyRules, parsePolicy } from "./policy/policy-document.js";
export { isProfileName, PROFILES, type Profile, type ProfileName } from "./profiles.js";
export { countStoredBlobs } from "./storage/file-blob-store.js";
export type { BucketDocuments, ListCursor } from "./storage/metadata-store.js";
export type { BucketRecord, ObjectVersion, Tag } from "./storage/records.js";
export {
  decodeSnapshotPage,
  encodeSnapshotPage,
  type OptionalSnapshotField,
  SNAPSHOT_PAGE_ROWS,
  type SnapshotPage,
  type SnapshotReadOptions,
  type SnapshotVersion,
  type VersionSnapshot,
} from "./storage/version-snapshot.js";
export { renderError } from "./xml/render-error.js";
export {
  escapeXml,
  renderDocument,
  renderNodes,
  S3_NAMESPACE,
  XML_DECLARATION,
  type XmlNode,
} from "./xml/xml-builder.js";
export { child, children, parseXml, text, type XmlElement } from "./xml/xml-parser.js";
