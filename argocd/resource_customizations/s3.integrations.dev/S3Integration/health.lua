-- Argo CD health of the s3.integrations.dev kinds (S3Integration, S3AccessPolicy, S3Store,
-- ClusterS3Store): the same script for each kind. It reads the Ready condition the operator
-- writes and uses only Lua's base library (Argo CD runs custom checks without the others).
local hs = {}

-- Ready reasons that stay until someone changes an input (a spec, a Secret, a store's allow
-- rules, the storage's users or policies). Every other reason of Ready=False or Unknown is
-- retried by the operator on its own (EndpointUnreachable, StorageError, ReconcileTimeout, ...).
local permanent = {
  InvalidSpec = true,
  SecretNotFound = true,
  SecretConflict = true,
  SecretContested = true,
  SecretWriteFailed = true,
  UserConflict = true,
  UserNameOverlap = true,
  PolicyConflict = true,
  PolicyNotFound = true,
  PolicyNotReady = true,
  PolicyTooLarge = true,
  PolicyRejected = true,
  ScopeConflict = true,
  StoreNotFound = true,
  StoreNotAllowed = true,
  StoreDeleting = true,
  BucketNotAllowed = true,
  NoSuchBucket = true,
  AccessDenied = true,
  CredentialsRejected = true,
  AdminCredentialsInvalid = true,
  AdminAccessDenied = true,
  TLSError = true,
  EndpointNotAllowed = true,
}

local function text(condition)
  local reason = condition.reason or condition.status
  if condition.message == nil or condition.message == "" then
    return reason
  end
  return reason .. ": " .. condition.message
end

if obj.metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Pending deletion"
  return hs
end

-- Only S3Integration honours the paused annotation (stores and policies have nothing to hold).
local annotations = obj.metadata.annotations or {}
if obj.kind == "S3Integration" and annotations["s3.integrations.dev/paused"] == "true" then
  hs.status = "Suspended"
  hs.message = "paused by the s3.integrations.dev/paused annotation: no changes are made"
  return hs
end

if obj.status == nil or obj.status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report status"
  return hs
end

local generation = obj.metadata.generation
if generation ~= nil and obj.status.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. generation
    .. " (status is of generation " .. obj.status.observedGeneration .. ")"
  return hs
end

local ready = nil
for _, condition in ipairs(obj.status.conditions or {}) do
  if condition.type == "Ready" then
    ready = condition
  end
end
if ready == nil or (ready.observedGeneration ~= nil and generation ~= nil
    and ready.observedGeneration ~= generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report Ready"
  return hs
end

if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or ""
elseif permanent[ready.reason] then
  hs.status = "Degraded"
  hs.message = text(ready)
else
  hs.status = "Progressing"
  hs.message = text(ready)
end
return hs
