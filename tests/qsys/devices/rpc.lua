-- A JSON-RPC 2.0 control client: replies matched to requests by id, whatever their order;
-- reconnects when the processor drops it, from Error or Closed, once.
-- Controls: IP, Port.
local json = require("rapidjson")

processor = WebSocket.New()
keepalive = Timer.New()
local nextId = 0
local pending = {}
local sessions = 0
local reconnecting = false

local function request(method, params, handler)
  nextId = nextId + 1
  pending[nextId] = {method = method, handler = handler}
  processor:Write(json.encode({jsonrpc = "2.0", id = nextId, method = method, params = params or json.object()}))
end

local function connect()
  processor:Connect("ws", Controls.IP.String, "/qrc", Controls.Port.String)
end

local function lost(why)
  keepalive:Stop()
  if reconnecting then
    return
  end
  reconnecting = true
  local unanswered = 0
  for id in pairs(pending) do
    unanswered = unanswered + 1
    pending[id] = nil
  end
  print("Connection lost (" .. why .. "), " .. unanswered .. " unanswered; reconnecting in 0.3 s")
  Timer.CallAfter(function()
    reconnecting = false
    connect()
  end, 0.3)
end

keepalive.EventHandler = function(timer)
  request("NoOp", nil, function() end)
end

processor.Connected = function(ws)
  sessions = sessions + 1
  print("Connected, session " .. sessions)
  request("Component.GetComponents", nil, function(result)
    print(string.format("%d components, the last %s", #result, result[#result].Name))
  end)
  request("Status.Get", nil, function(result)
    print("Design " .. result.DesignName .. " is " .. result.State)
  end)
  keepalive:Start(30)
end

processor.Data = function(ws, data)
  local message, err = json.decode(data)
  if message == nil then
    print("Undecodable message of " .. #data .. " bytes: " .. err)
    return
  end
  if message.id == nil then
    print("Notification " .. message.method .. ": " .. message.params.State)
    return
  end
  local call = pending[message.id]
  if call == nil then
    print("Reply to unknown id " .. tostring(message.id))
    return
  end
  pending[message.id] = nil
  if message.error ~= nil then
    print("Request " .. message.id .. " (" .. call.method .. ") failed: " .. message.error.message)
    return
  end
  print(string.format("Reply %d to %s, %d bytes", message.id, call.method, #data))
  call.handler(message.result)
end

processor.Error = function(ws, err)
  lost(err)
end

processor.Closed = function(ws)
  lost("closed")
end

connect()
