-- PA-2 amplifier: poll its meters on a timer, show them and its pushes in Controls.
-- Controls: IP, Port, PollTime (seconds), Temperature, Power, Level[1..2], Mute[1..2].
local json = require("rapidjson")

amp = WebSocket.New()
poll = Timer.New()
polls = 0

poll.EventHandler = function(timer)
  polls = polls + 1
  amp:Write(json.encode({cmd = "meters"}))
end

local handlers = {}

function handlers.info(message)
  print(string.format("%s with %d channels", message.model, message.channels))
  Controls.Power.String = "on"
  poll:Start(Controls.PollTime.Value)
end

function handlers.meters(message)
  Controls.Temperature.Value = message.temperature
  for channel, level in ipairs(message.levels) do
    Controls.Level[channel].Value = level
  end
  print(string.format("Meters %d: %.1f C, levels %.1f %.1f", message.seq, Controls.Temperature.Value,
    Controls.Level[1].Value, Controls.Level[2].Value))
end

function handlers.mute(message)
  Controls.Mute[message.channel].Value = message.muted and 1 or 0
  print(string.format("Channel %d mute %s, control %d", message.channel, tostring(message.muted),
    Controls.Mute[message.channel].Value))
end

function handlers.power(message)
  Controls.Power.String = message.state
  poll:Stop()
  print("Power " .. Controls.Power.String .. ": polling stopped after " .. polls .. " polls")
  amp:Close()
end

amp.Data = function(ws, data)
  local message = json.decode(data)
  local handler = message and handlers[message.type]
  if handler then
    handler(message)
  else
    print("Ignored: " .. data)
  end
end

amp.Error = function(ws, err)
  poll:Stop()
  print("Amplifier error: " .. err)
end

amp.Closed = function(ws)
  poll:Stop()
  print("Amplifier closed")
end

amp:Connect("ws", Controls.IP.String, "ws", Controls.Port.Value)
