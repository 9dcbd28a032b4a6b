-- Asks the operator for an access verification now: any value of s3.integrations.dev/verify it has
-- not acted on runs one (at least 10 s after the last; status.lastVerifyRequest says which value).
local os = require("os")
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["s3.integrations.dev/verify"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
