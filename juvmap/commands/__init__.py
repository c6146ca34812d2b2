"""Headless subcommands of the juvmap command."""
