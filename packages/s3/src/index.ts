export { Engine, type EngineOptions, DEFAULT_LIMITS } from "./engine.js";
export { S3Error, toS3Error } from "./errors/s3-error.js";
export { ERROR_CODES, type S3ErrorCode } from "./errors/error-codes.js";
export {
  answerControl,
  CONTROL_PREFIX,
  type ControlAnswer,
  type ControlRoute,
  readJsonBody,
} from "./http/control-route.js";
export {
  startEmulator,
  type EmulatorOptions,
  type EmulatorPlugin,
  type RunningEmulator,
} from "./http/server.js";
export type { Route, Handler, Target } from "./http/router.js";
export type { S3Request } from "./http/s3-request.js";
export type { S3Response } from "./http/s3-response.js";
export { PROFILES, isProfileName, type ProfileName, type Profile } from "./profiles.js";
export {
  type Principal,
  type IdentityConfig,
  DEFAULT_OWNER,
  ANONYMOUS,
  servicePrincipal,
  canonicalIdOf,
} from "./auth/identity.js";
export type { AccessRequest } from "./policy/authorizer.js";
export { decideByBucketPolicy, type BucketStanding, type Decision } from "./policy/bucket-policy-decision.js";
export { OPERATION_ACTIONS, type OperationAction } from "./policy/actions.js";
export type { BucketRecord, ObjectVersion, Tag } from "./storage/records.js";
export { getHeader } from "./http/s3-request.js";
export { emptyResponse, xmlResponse, type HeaderValues } from "./http/s3-response.js";
export { readDocumentBody, readXmlDocument } from "./operations/request-documents.js";
export { parseXml, child, children, text, type XmlElement } from "./xml/xml-parser.js";
export { renderNodes, renderDocument, escapeXml, S3_NAMESPACE, XML_DECLARATION, type XmlNode } from "./xml/xml-builder.js";
export { encodeContinuationToken, decodeContinuationToken } from "./operations/continuation-token.js";
export type { BucketDocuments, ListCursor } from "./storage/metadata-store.js";
export { writeObjectAs, seedObjects, syntheticObjects, type WriteObjectInput, type SeedObject } from "./internal-api.js";
export type { VersionSnapshot, SnapshotVersion } from "./storage/version-snapshot.js";
export { countStoredBlobs } from "./storage/file-blob-store.js";
export { readSmallBody, type BodyLimits } from "./body/request-body.js";
export { renderError } from "./xml/render-error.js";
export { parsePolicy, MAX_POLICY_BYTES, type PolicyDocument, type PolicyRules } from "./policy/policy-document.js";
export { evaluatePolicy, type AccessContext, type PolicyEffect } from "./policy/evaluate-policy.js";
export { serviceKeys, normalizeKey } from "./policy/condition-keys.js";
