"""The start-up probe: silent unless COMPANION_STARTUP_PROBE asks, then one JSON line after the
first paint of the watched screen."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QWidget

from companion.ui import startup_probe


def test_probe_is_off_without_the_environment_variable(qapp, monkeypatch) -> None:
    """No variable (or an unknown value): nothing is installed."""
    monkeypatch.delenv(startup_probe.ENV_VAR, raising=False)
    widget = QWidget()
    assert startup_probe.install(widget) is None
    monkeypatch.setenv(startup_probe.ENV_VAR, "yes please")
    assert startup_probe.install(widget) is None


def test_probe_reports_the_first_paint_once(qtbot, monkeypatch, capsys) -> None:
    """In ``keep`` mode the first paint gives one line of figures and the app keeps running."""
    monkeypatch.setenv(startup_probe.ENV_VAR, "keep")
    widget = QWidget()
    qtbot.addWidget(widget)
    assert startup_probe.install(widget) is not None
    widget.show()
    lines: list[str] = []

    def reported() -> bool:
        lines.extend(capsys.readouterr().out.splitlines())
        return any(line.startswith(startup_probe.PREFIX) for line in lines)

    qtbot.waitUntil(reported)
    widget.repaint()
    qtbot.wait(50)
    lines.extend(capsys.readouterr().out.splitlines())
    probes = [line for line in lines if line.startswith(startup_probe.PREFIX)]
    assert len(probes) == 1
    figures = json.loads(probes[0][len(startup_probe.PREFIX):])
    assert figures["first_paint_monotonic_s"] >= figures["paint_started_monotonic_s"]
    assert set(figures) >= {"since_process_start_ms", "rss_kb"}
    assert widget.isVisible()


def test_probe_sees_a_screen_filled_by_a_scroll_area(qtbot, monkeypatch, capsys) -> None:
    """A page body that scrolls (as home's) covers the screen: the screen widget itself gets no
    paint event (its opaque child covers it), the probe must still report."""
    from PySide6.QtWidgets import QLabel

    from companion.ui.screens.widgets import scrolling_page

    monkeypatch.setenv(startup_probe.ENV_VAR, "keep")
    screen = QWidget()
    qtbot.addWidget(screen)
    scrolling_page(screen, spacing=16).addWidget(QLabel("lessons"))
    startup_probe.install(screen)
    screen.show()
    qtbot.waitUntil(lambda: startup_probe.PREFIX in capsys.readouterr().out)
