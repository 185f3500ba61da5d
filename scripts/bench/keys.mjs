/** Keys and bodies shared by the bench driver and the server runner, so every server gets the same data. */

/** 1,000 keys per "folder" (`d042/k042137`): a common layout, and one s3rver's directory walk can page through. */
export const listKey = (i) => `d${String(Math.floor(i / 1000)).padStart(3, "0")}/k${String(i).padStart(6, "0")}`;

/** Keys of the PutObject/GetObject phase. */
export const putKey = (i) => `put/k${String(i).padStart(6, "0")}`;

/** MD5 of zero bytes: the ETag of the empty objects the listing phases store. */
export const EMPTY_ETAG = "d41d8cd98f00b204e9800998ecf8427e";
