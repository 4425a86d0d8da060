"""Screens every area shares: help, welcome."""
