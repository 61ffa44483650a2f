"""The app's dialogs: welcome and profiles, PIN, settings, import, help."""
