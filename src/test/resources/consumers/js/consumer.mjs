// A real AWS SDK for JavaScript v3 consumer of the resolved-config Secret, for the consumer
// contract tests (installed by scripts/install-consumers-sdk, run by Consumers.java with node).
//
// Usage: node consumer.mjs BUCKET KEY FORBIDDEN_KEY
//
// It builds its client as docs/consumers.md tells an application to, with the one documented line
//
//   new S3Client({ forcePathStyle: process.env.S3_ADDRESSING_STYLE === "path" })
//
// Everything else comes from the environment the Secret sets: credentials (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY), region (AWS_REGION), endpoint (AWS_ENDPOINT_URL) and trust of a private
// CA (NODE_EXTRA_CA_CERTS, which Node reads when it starts). It lists the bucket, reads KEY, tries
// to write FORBIDDEN_KEY (a read-only grant must refuse it) and presigns a GET of KEY with
// @aws-sdk/s3-request-presigner, then prints one JSON line on stdout:
//
//   {"client":"aws-sdk-js-v3","list":...,"get":...,"put":...,"presigned":...}
//
// with the same step values as boto3_consumer.py. It exits 0 whatever the steps did (the test
// judges the JSON); it never prints the secret key or request headers.
import { createHash } from "node:crypto";

const MAX_MESSAGE = 300;

/** One line, bounded, with the secret key (should any message carry it) redacted. */
function clean(text) {
  let line = String(text).split(/\s+/).filter(Boolean).join(" ");
  const secret = process.env.AWS_SECRET_ACCESS_KEY;
  if (secret) {
    line = line.split(secret).join("<redacted>");
  }
  return line.slice(0, MAX_MESSAGE);
}

/** The S3 error code of a service error (AccessDenied, NoSuchBucket...), or undefined. */
function errorCode(e) {
  return e && e.$metadata && e.$fault ? e.Code || e.name : undefined;
}

/**
 * "error: CODE: message" for a service error; otherwise the innermost cause's name (and system
 * code, e.g. ENOTFOUND) and message, then the outer error's when they differ.
 */
function describe(e) {
  const code = errorCode(e);
  if (code) {
    return clean(`error: ${code}: ${e.message}`);
  }
  let root = e;
  while (root && root.cause && root.cause !== root) {
    root = root.cause;
  }
  const name = (r) => (r && (r.code ? `${r.name} ${r.code}` : r.name)) || typeof r;
  let text = `error: ${name(root)}: ${root && root.message}`;
  if (root !== e) {
    text += ` (in ${name(e)}: ${e && e.message})`;
  }
  return clean(text);
}

async function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write("usage: node consumer.mjs BUCKET KEY FORBIDDEN_KEY\n");
    return 2;
  }
  const [bucket, key, forbiddenKey] = argv;
  const result = { client: "aws-sdk-js-v3" };

  let sdk;
  let presigner;
  let s3;
  try {
    sdk = await import("@aws-sdk/client-s3");
    presigner = await import("@aws-sdk/s3-request-presigner");
    s3 = new sdk.S3Client({ forcePathStyle: process.env.S3_ADDRESSING_STYLE === "path" });
  } catch (e) {
    // no client at all: every step reports why
    const m = describe(e);
    for (const step of ["list", "get", "put", "presigned"]) {
      result[step] = m;
    }
    process.stdout.write(JSON.stringify(result) + "\n");
    return 0;
  }

  try {
    const listed = await s3.send(new sdk.ListObjectsV2Command({ Bucket: bucket }));
    const keys = (listed.Contents || []).map((o) => o.Key);
    result.list = keys.includes(key)
      ? "ok"
      : clean(`error: ${key} not listed (${keys.length} keys)`);
  } catch (e) {
    result.list = describe(e);
  }

  try {
    const got = await s3.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = Buffer.from(await got.Body.transformToByteArray());
    const sha = createHash("sha256").update(body).digest("hex");
    result.get = `ok size=${body.length} sha256=${sha}`;
  } catch (e) {
    result.get = describe(e);
  }

  try {
    await s3.send(
      new sdk.PutObjectCommand({ Bucket: bucket, Key: forbiddenKey, Body: "must be refused" }),
    );
    result.put = "ALLOWED";
  } catch (e) {
    result.put = errorCode(e) === "AccessDenied" ? "refused AccessDenied" : describe(e);
  }

  try {
    result.presigned = await presigner.getSignedUrl(
      s3,
      new sdk.GetObjectCommand({ Bucket: bucket, Key: key }),
      { expiresIn: 900 },
    );
  } catch (e) {
    result.presigned = describe(e);
  }

  s3.destroy();
  process.stdout.write(JSON.stringify(result) + "\n");
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
