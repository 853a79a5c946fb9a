"""The faces users touch: the seed and Pythonic WebSocket, Timer, the widget, replay, magics."""
