"""Dispatch to other organisations: on this server and to peer servers (envelopes, outbox, statuses)."""
