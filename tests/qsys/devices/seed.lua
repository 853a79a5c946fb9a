-- The seed's examples (docs/design.md, "The seed API") in Lua, as a Q-SYS script writes them:
-- each call in the callback where a script would make it, so that one follows the other.
ws = WebSocket.New()
print(ws)                                   -- websocket
ws.Connected = function(ws) print("Connected") ws:Write("Hey!") end
ws.Data = function(ws, data)
  if data == "Hey!" then
    print("Data", data)
    ws:Write("\x01\x02", true)              -- a binary frame
  else
    print("Data", #data .. " bytes", data:byte(1, -1))
    ws:Ping()
  end
end
ws.Error = function(ws, err) print("Error", err) end
ws.Closed = function(ws) print("closed") end
ws.Pong = function(ws) print("pong") ws:Close() end
ws:Connect("wss", "example.com", "/my-websocket-endpoint", 443, nil,
           {Authorization = "Bearer my-auth-token"})

t = Timer.New(); t.EventHandler = function(timer) ws:Ping() end; t:Start(10); t:Stop()
fn = function() print("CallAfter", Timer.Now() > 0, t:IsRunning()) end
Timer.CallAfter(fn, 2.5)
