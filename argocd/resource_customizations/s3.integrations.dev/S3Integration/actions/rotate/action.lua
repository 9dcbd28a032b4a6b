-- Asks the operator for a new managed key now: any value of s3.integrations.dev/rotate it has not
-- acted on rotates once (spaced by the store's rotation.minRequestInterval; README "Key rotation").
local os = require("os")
if obj.spec == nil or obj.spec.credentials == nil or obj.spec.credentials.managed == nil then
  error("rotate needs credentials.managed: the operator rotates only keys it issued; rotate the keys in the Secret named by credentials.secretRef", 0)
end
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["s3.integrations.dev/rotate"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
