"""ipywidgets for a Q-SYS script's controls and its ``Component.Status``, linked both ways.

``control_widgets(script)`` returns a VBox: one row per control (an array's elements side by
side), the Legend (or the name) as label: Text controls as text fields (sent on Enter or
leaving the field), knobs as sliders, toggles as toggle buttons, momentary and trigger buttons
as buttons, ComboBoxes as dropdowns, indicators as read-only LEDs, meters and labels; then a
``Component.Status`` label. A user's change sets the control as the notebook user (the script's
EventHandler fires); the script's assignments update the widget (an update equal to the
widget's value sends no event back). ``IsDisabled`` disables, ``IsInvisible`` hides, ``Color``
colours buttons and slider handles. ipywidgets is imported here only, when called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .control import STATUS_NAMES, Control
from .controls import component

if TYPE_CHECKING:
    from .script import Script

_STATUS_COLORS = ("#2e7d32", "#f9a825", "#c62828", "#757575", "#c62828", "#1565c0")


def control_widgets(script: Script) -> Any:
    """A VBox with a widget for each of ``script``'s controls and its Component.Status.

    Raises:
        ImportError: ipywidgets is not installed.
    """
    import ipywidgets as widgets

    rows = []
    for name, found in script.controls.items():
        elements = found if isinstance(found, list) else [found]
        label = widgets.Label(value=name, layout=widgets.Layout(min_width="8em"))
        rows.append(widgets.HBox([label, *(control_widget(control) for control in elements)]))
    status = widgets.HTML()
    comp = component(script)

    def show_status(value: str) -> None:
        status.value = f"<b>Component.Status</b>: {_escape(value)}"

    show_status(comp.status)
    comp.observe(show_status)
    box = widgets.VBox([*rows, status])
    box.add_class("ws-widget-qsys-controls")
    return box


def control_widget(control: Control) -> Any:
    """The widget of one control, linked both ways (see the module docstring)."""
    import ipywidgets as widgets

    kind, button, indicator = control.Type, control.ButtonType, control.IndicatorType
    caption = control.Legend  # the row's label has the name
    if kind == "Button" and not caption:
        caption = f"{control.Name} {control.Index}" if control.Index else control.Name
    widget: Any
    if kind == "Knob":
        widget = widgets.FloatSlider(
            min=control.MinValue,
            max=control.MaxValue,
            value=control.Value,
            step=1 if control.Unit == "Integer" else (control.MaxValue - control.MinValue) / 200,
            readout=False,
            continuous_update=False,
            description=caption,
        )
        readout = widgets.Label(value=control.String)
        _link(
            control, widget, "Value", lambda c: float(c.Value), float, extra=lambda c: _set(readout, c.String)
        )
        return _styled(control, widgets.HBox([widget, readout]), widget)
    if kind == "Button" and button == "Toggle":
        widget = widgets.ToggleButton(value=control.Boolean, description=caption)
        _link(control, widget, "Boolean", lambda c: c.Boolean, bool)
    elif kind == "Button":
        widget = widgets.Button(description=caption)

        def press(_: Any) -> None:
            if button == "Momentary":  # a press and a release, as a Core reports them
                control.Boolean = True
                control.Boolean = False
            else:
                control.trigger()

        widget.on_click(press)
    elif kind == "ComboBox":
        widget = widgets.Dropdown(options=_options(control), value=control.String, description=caption)
        _link(control, widget, "String", lambda c: c.String, str, extra=lambda c: _choices(widget, c))
    elif kind == "Text":
        widget = widgets.Text(value=control.String, description=caption, continuous_update=False)
        _link(control, widget, "String", lambda c: c.String, str)
    elif indicator == "Meter":
        widget = widgets.FloatProgress(min=0.0, max=1.0, value=control.Position, description=caption)
        _follow(control, lambda c: _set(widget, c.Position))
    elif indicator == "Led":
        widget = widgets.Valid(value=control.Boolean, description=caption, readout="")
        _follow(control, lambda c: _set(widget, c.Boolean))
    elif indicator == "Status":
        widget = widgets.HTML(description=caption)
        _follow(control, lambda c: _set(widget, _status_html(c)))
        widget.value = _status_html(control)
    else:  # a Text indicator
        widget = widgets.Label(value=control.String)
        _follow(control, lambda c: _set(widget, c.String))
    return _styled(control, widget, widget)


def _link(control: Control, widget: Any, aspect: str, read: Any, cast: Any, extra: Any = None) -> None:
    """The widget's value sets ``aspect`` as the user; the control's changes set the widget."""

    updating = [False]  # the control's own update of the widget: no event back

    def user_changed(change: dict[str, Any]) -> None:
        new = cast(change["new"])
        if not updating[0] and new != read(control):
            control.set(aspect, new)

    widget.observe(user_changed, names="value")

    def script_changed(c: Control) -> None:
        updating[0] = True
        try:
            if extra is not None:
                extra(c)
            _set(widget, read(c))
        finally:
            updating[0] = False

    _follow(control, script_changed)


def _follow(control: Control, update: Any) -> None:
    def changed(c: Control, names: frozenset[str]) -> None:
        update(c)

    control.observe(changed)


def _styled(control: Control, outer: Any, inner: Any) -> Any:
    """Keep IsDisabled, IsInvisible, Legend and Color of ``control`` on the widget."""

    def apply(c: Control) -> None:
        if hasattr(inner, "disabled"):
            inner.disabled = c.IsDisabled or (c.Type == "Indicator")
        outer.layout.display = "none" if c.IsInvisible else ""
        if c.Legend and hasattr(inner, "description") and inner.description != c.Legend:
            inner.description = c.Legend
        if c.Color:
            if hasattr(inner.style, "button_color"):
                inner.style.button_color = c.Color
            elif hasattr(inner.style, "handle_color"):
                inner.style.handle_color = c.Color

    apply(control)
    _follow(control, apply)
    return outer


def _set(widget: Any, value: Any) -> None:
    if widget.value != value:
        widget.value = value


def _options(control: Control) -> list[str]:
    options = list(control.Choices)
    if control.String not in options:
        options.append(control.String)
    return options


def _choices(widget: Any, control: Control) -> None:
    options = _options(control)
    if list(widget.options) != options:
        widget.options = options
        widget.value = control.String


def _status_html(control: Control) -> str:
    index = int(control.Value)
    name = STATUS_NAMES[index] if 0 <= index < len(STATUS_NAMES) else str(index)
    color = _STATUS_COLORS[index] if 0 <= index < len(_STATUS_COLORS) else "#757575"
    detail = f" - {_escape(control.String)}" if control.String else ""
    return f'<span style="color:{color}">&#9679;</span> {name}{detail}'


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
