"""My groups: the trainer's workspace (issue 10). See page.py."""

from companion.ui.screens.groups.page import GroupsScreen

__all__ = ["GroupsScreen"]
