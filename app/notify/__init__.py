"""Notifications: a message to a user in the app, and by e-mail when SMTP is set up (through the outbox)."""
