-- Argo CD resource actions of an S3Integration (s3.integrations.dev): each sets an annotation the
-- operator acts on once per new value.
--   rotate  a new managed key now (s3.integrations.dev/rotate); disabled for validate-only
--           integrations (credentials.secretRef): the operator rotates only keys it issued
--   verify  an access verification now (s3.integrations.dev/verify)
-- Both are disabled while the integration is paused (s3.integrations.dev/paused: "true"): the
-- operator acts on nothing then.
local actions = {}
local managed = obj.spec ~= nil and obj.spec.credentials ~= nil and obj.spec.credentials.managed ~= nil
local paused = obj.metadata.annotations ~= nil and obj.metadata.annotations["s3.integrations.dev/paused"] == "true"
actions["rotate"] = {["disabled"] = paused or not managed, ["iconClass"] = "fa fa-fw fa-key", ["displayName"] = "Rotate key now"}
actions["verify"] = {["disabled"] = paused, ["iconClass"] = "fa fa-fw fa-check", ["displayName"] = "Verify access now"}
return actions
