"""Small widgets and dialogs shared by the app's screens."""
