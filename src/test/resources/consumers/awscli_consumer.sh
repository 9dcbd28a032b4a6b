#!/usr/bin/env bash
# A real AWS CLI (v1) consumer of the resolved-config Secret, for the consumer contract tests.
#
# Usage: awscli_consumer.sh VENVDIR BUCKET KEY FORBIDDEN_KEY
#   VENVDIR  the virtualenv scripts/install-consumers printed (has bin/aws and bin/python)
#
# It runs `aws` with nothing but the command: no --endpoint-url, --region or --ca-bundle, so
# credentials, endpoint (AWS_ENDPOINT_URL), region (AWS_DEFAULT_REGION), addressing style
# (AWS_CONFIG_FILE) and trust (AWS_CA_BUNDLE) all come from the environment the Secret sets. It
# lists the bucket, copies KEY down, tries to put FORBIDDEN_KEY (a read-only grant must refuse it)
# and presigns KEY, then prints one JSON line:
#   {"client":"awscli","list":...,"get":...,"put":...,"presigned":...}
# with the same step values as boto3_consumer.py. It exits 0 whatever the steps did (the test
# judges the JSON); it never prints the secret key.
set -uo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: awscli_consumer.sh VENVDIR BUCKET KEY FORBIDDEN_KEY" >&2
  exit 2
fi
venv="$1" bucket="$2" key="$3" forbidden="$4"
aws="$venv/bin/aws"
python="$venv/bin/python"
if [[ ! -x "$aws" || ! -x "$python" ]]; then
  echo "awscli_consumer.sh: $venv has no bin/aws or bin/python (run scripts/install-consumers)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# step NAME CMD...: runs CMD with its stdout and stderr in $work/NAME.out and .err, exit in .rc.
step() {
  local name="$1"
  shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" </dev/null
  echo $? >"$work/$name.rc"
}

step list "$aws" s3api list-objects-v2 --bucket "$bucket"
step get "$aws" s3 cp "s3://$bucket/$key" "$work/object"
body="$work/object"
if [[ ! -f "$body" ]]; then
  body="$work/body"
  printf 'must be refused' >"$body"
fi
step put "$aws" s3api put-object --bucket "$bucket" --key "$forbidden" --body "$body"
step presign "$aws" s3 presign "s3://$bucket/$key"

# The stderr of each failed step goes on to ours (redacted) for the test's diagnostics.
for name in list get put presign; do
  if [[ "$(cat "$work/$name.rc")" != 0 ]]; then
    echo "--- aws $name (exit $(cat "$work/$name.rc")):" >&2
    tail -n 5 "$work/$name.err" >&2
  fi
done 2>&1 | "$python" -c '
import os, sys
secret = os.environ.get("AWS_SECRET_ACCESS_KEY")
for line in sys.stdin:
    sys.stderr.write(line.replace(secret, "<redacted>") if secret else line)
'

"$python" - "$work" "$key" <<'PY'
import hashlib, json, os, sys

work, key = sys.argv[1], sys.argv[2]
secret = os.environ.get("AWS_SECRET_ACCESS_KEY")


def read(name):
    try:
        with open(os.path.join(work, name), encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def clean(text):
    text = " ".join(text.split())
    if secret:
        text = text.replace(secret, "<redacted>")
    return text[:300]


def failed(name):
    return read(name + ".rc").strip() != "0"


def error(name):
    lines = [l for l in read(name + ".err").splitlines() if l.strip()]
    return clean("error: " + (lines[-1] if lines else "exit " + read(name + ".rc").strip()))


result = {"client": "awscli"}

if failed("list"):
    result["list"] = error("list")
else:
    try:
        keys = [o.get("Key") for o in json.loads(read("list.out") or "{}").get("Contents", [])]
        result["list"] = "ok" if key in keys else clean("error: %s not listed (%d keys)" % (key, len(keys)))
    except ValueError as e:
        result["list"] = clean("error: unreadable listing: %s" % e)

if failed("get"):
    result["get"] = error("get")
else:
    try:
        with open(os.path.join(work, "object"), "rb") as f:
            body = f.read()
        result["get"] = "ok size=%d sha256=%s" % (len(body), hashlib.sha256(body).hexdigest())
    except OSError as e:
        result["get"] = clean("error: no file written: %s" % e.strerror)

if not failed("put"):
    result["put"] = "ALLOWED"
elif "(AccessDenied)" in read("put.err"):
    result["put"] = "refused AccessDenied"
else:
    result["put"] = error("put")

if failed("presign"):
    result["presigned"] = error("presign")
else:
    result["presigned"] = read("presign.out").strip()

print(json.dumps(result))
PY
exit 0
