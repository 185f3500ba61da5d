/**
 * Every S3 error the engine can raise: code -> HTTP status and the message real S3 sends.
 * One table, so handlers only name a code (STYLE.md: one error type, one table).
 */
export const ERROR_CODES = {
  AccessDenied: { status: 403, message: "Access Denied" },
  AuthorizationHeaderMalformed: { status: 400, message: "The authorization header you provided is invalid." },
  AuthorizationQueryParametersError: {
    status: 400,
    message:
      "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
  },
  BadDigest: { status: 400, message: "The Content-MD5 you specified did not match what we received." },
  BucketAlreadyExists: {
    status: 409,
    message:
      "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
  },
  BucketAlreadyOwnedByYou: {
    status: 409,
    message: "Your previous request to create the named bucket succeeded and you already own it.",
  },
  BucketNotEmpty: { status: 409, message: "The bucket you tried to delete is not empty" },
  EntityTooLarge: { status: 400, message: "Your proposed upload exceeds the maximum allowed size" },
  EntityTooSmall: { status: 400, message: "Your proposed upload is smaller than the minimum allowed object size." },
  IdMismatch: { status: 400, message: "Document ID does not match the specified configuration ID." },
  // CoreWeave refuses an inventory destination its service cannot write to (spec/inventory.md §3; status inferred).
  IllegalInventoryConfigurationException: {
    status: 400,
    message: "The inventory service is not allowed to PutObject to the destination bucket.",
  },
  IllegalVersioningConfigurationException: {
    status: 400,
    message: "The Versioning element must be specified",
  },
  IncompleteBody: {
    status: 400,
    message: "You did not provide the number of bytes specified by the Content-Length HTTP header",
  },
  InternalError: { status: 500, message: "We encountered an internal error. Please try again." },
  InvalidAccessKeyId: { status: 403, message: "The AWS Access Key Id you provided does not exist in our records." },
  InvalidArgument: { status: 400, message: "Invalid Argument" },
  InvalidBucketName: { status: 400, message: "The specified bucket is not valid." },
  InvalidDigest: { status: 400, message: "The Content-MD5 you specified was invalid." },
  InvalidLocationConstraint: { status: 400, message: "The specified location-constraint is not valid" },
  InvalidObjectState: { status: 403, message: "The operation is not valid for the object's storage class" },
  InvalidPart: {
    status: 400,
    message:
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
  },
  InvalidPartOrder: {
    status: 400,
    message: "The list of parts was not in ascending order. Parts must be ordered by part number.",
  },
  InvalidPartNumber: { status: 416, message: "The requested partnumber is not satisfiable" },
  InvalidRange: { status: 416, message: "The requested range is not satisfiable" },
  InvalidRequest: { status: 400, message: "Invalid Request" },
  InvalidS3DestinationBucket: { status: 400, message: "Invalid bucket ARN." },
  InvalidStorageClass: { status: 400, message: "The storage class you specified is not valid" },
  InvalidTag: { status: 400, message: "The TagValue you have provided is invalid" },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI." },
  KeyTooLongError: { status: 400, message: "Your key is too long" },
  MalformedXML: {
    status: 400,
    message: "The XML you provided was not well-formed or did not validate against our published schema",
  },
  MalformedPolicy: { status: 400, message: "Policies must be valid JSON and the first byte must be '{'" },
  MaxMessageLengthExceeded: { status: 400, message: "Your request was too big." },
  MethodNotAllowed: { status: 405, message: "The specified method is not allowed against this resource." },
  MissingContentLength: { status: 411, message: "You must provide the Content-Length HTTP header." },
  NoSuchBucket: { status: 404, message: "The specified bucket does not exist" },
  NoSuchBucketPolicy: { status: 404, message: "The bucket policy does not exist" },
  NoSuchConfiguration: { status: 404, message: "The specified configuration does not exist." },
  // CoreWeave's code for the same case (spec/inventory.md §3).
  NoSuchInventoryConfiguration: { status: 404, message: "The specified configuration does not exist." },
  NoSuchKey: { status: 404, message: "The specified key does not exist." },
  NoSuchTagSet: { status: 404, message: "The TagSet does not exist" },
  NoSuchUpload: {
    status: 404,
    message:
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
  },
  NoSuchVersion: { status: 404, message: "The specified version does not exist." },
  NotImplemented: { status: 501, message: "A header you provided implies functionality that is not implemented" },
  NotModified: { status: 304, message: "Not Modified" },
  PreconditionFailed: { status: 412, message: "At least one of the pre-conditions you specified did not hold" },
  RequestTimeTooSkewed: {
    status: 403,
    message: "The difference between the request time and the current time is too large.",
  },
  RequestTimeout: {
    status: 400,
    message:
      "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.",
  },
  SignatureDoesNotMatch: {
    status: 403,
    message:
      "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
  },
  // Message not recorded from AWS (spec/inventory.md §1.4 [U]).
  TooManyConfigurations: {
    status: 400,
    message: "You are attempting to create a new configuration but have already reached the 1,000-configuration limit.",
  },
  XAmzContentSHA256Mismatch: {
    status: 400,
    message: "The provided 'x-amz-content-sha256' header does not match what was computed.",
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type S3ErrorCode = keyof typeof ERROR_CODES;
