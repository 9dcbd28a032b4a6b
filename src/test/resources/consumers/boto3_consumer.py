"""A real boto3 consumer of the resolved-config Secret, for the consumer contract tests.

Usage: python boto3_consumer.py BUCKET KEY FORBIDDEN_KEY

It builds its client as an application would from the documented one-liner, boto3.client("s3"),
with no arguments: credentials, endpoint (AWS_ENDPOINT_URL), region (AWS_REGION /
AWS_DEFAULT_REGION), addressing style (AWS_CONFIG_FILE) and trust (AWS_CA_BUNDLE) all come from
the environment the Secret sets. It lists the bucket, reads KEY, tries to write FORBIDDEN_KEY
(which a read-only grant must refuse) and presigns a GET of KEY, then prints one JSON line:

  {"client":"boto3","list":...,"get":...,"put":...,"presigned":...}

Each step is "ok ..." / "refused AccessDenied" / "ALLOWED" / a URL, or "error: <code or type>:
<message>". It exits 0 whatever the steps did: the test judges the JSON. It never prints the secret
key, request headers or exception reprs.
"""

import hashlib
import json
import os
import sys

MAX_MESSAGE = 300


def clean(text):
    """One line, bounded, with the secret key (should any message carry it) redacted."""
    text = " ".join(str(text).split())
    secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if secret:
        text = text.replace(secret, "<redacted>")
    return text[:MAX_MESSAGE]


def describe(error):
    """'error: <code>: <message>' for a service error, 'error: <type>: <message>' otherwise."""
    response = getattr(error, "response", None)
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        code = response["Error"].get("Code", "?")
        message = response["Error"].get("Message", "")
        return clean("error: %s: %s" % (code, message))
    return clean("error: %s: %s" % (type(error).__name__, error))


def error_code(error):
    response = getattr(error, "response", None)
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        return response["Error"].get("Code")
    return None


def main(argv):
    if len(argv) != 4:
        print("usage: boto3_consumer.py BUCKET KEY FORBIDDEN_KEY", file=sys.stderr)
        return 2
    bucket, key, forbidden_key = argv[1], argv[2], argv[3]
    result = {"client": "boto3"}

    try:
        import boto3

        s3 = boto3.client("s3")
    except Exception as e:  # no client at all: every step reports why
        message = describe(e)
        for step in ("list", "get", "put", "presigned"):
            result[step] = message
        print(json.dumps(result))
        return 0

    try:
        listed = s3.list_objects_v2(Bucket=bucket)
        keys = [o.get("Key") for o in listed.get("Contents", [])]
        if key in keys:
            result["list"] = "ok"
        else:
            result["list"] = clean("error: %s not listed (%d keys)" % (key, len(keys)))
    except Exception as e:
        result["list"] = describe(e)

    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        result["get"] = "ok size=%d sha256=%s" % (len(body), hashlib.sha256(body).hexdigest())
    except Exception as e:
        result["get"] = describe(e)

    try:
        s3.put_object(Bucket=bucket, Key=forbidden_key, Body=b"must be refused")
        result["put"] = "ALLOWED"
    except Exception as e:
        code = error_code(e)
        result["put"] = "refused AccessDenied" if code == "AccessDenied" else describe(e)

    try:
        result["presigned"] = s3.generate_presigned_url(
            "get_object", Params={"Bucket": bucket, "Key": key}
        )
    except Exception as e:
        result["presigned"] = describe(e)

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
