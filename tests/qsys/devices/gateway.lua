-- Lumen LX gateway: log on with a SHA-256 digest of the gateway's nonce, then read its status.
-- Controls: IP, Port, User, Password (text fields).
local json = require("rapidjson")

local function hex(bytes)
  return (bytes:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end

gateway = WebSocket.New()

gateway.Connected = function(ws)
  print("Connected to " .. Controls.IP.String)
end

gateway.Data = function(ws, data)
  local message, err = json.decode(data)
  if message == nil then
    print("Not JSON: " .. err)
    return
  end
  if message.event == "hello" then
    local digest = hex(Crypto.Digest("sha256", message.nonce .. ":" .. Controls.Password.String))
    ws:Write(json.encode({method = "login", user = Controls.User.String, digest = digest}))
  elseif message.event == "welcome" then
    print("Logged on as " .. message.user .. ", session " .. message.session)
    ws:Write(json.encode({method = "get", path = "/status"}))
  elseif message.event == "denied" then
    print("Log-on refused: " .. message.reason)
  elseif message.event == "status" then
    print(string.format("%s firmware %s, %d zones", message.model, message.firmware, #message.zones))
    ws:Close()
  end
end

gateway.Error = function(ws, err)
  print("Gateway error: " .. err)
end

gateway.Closed = function(ws)
  print("Gateway closed")
end

gateway:Connect("ws", Controls.IP.String, "/api/v1", Controls.Port.String, "", {["X-Client"] = "Q-SYS"})
