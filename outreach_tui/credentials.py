"""API keys: the OS keyring, one entry per profile; `REACHKIT_API_KEY` overrides it.

Keys never go to the config file, the database, logs or exception messages. When no
keyring backend works (a headless box, CI), the errors say so plainly and point at the
environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import keyring
import keyring.errors

API_KEY_ENV = "REACHKIT_API_KEY"
SERVICE_NAME = "outreach-tui"


class CredentialStoreError(Exception):
    """The keyring cannot be used; the message is one line fit for the user.

    `reason` is the cause alone ("no working keyring backend (RuntimeError)"), for a caller
    that words the rest of the sentence itself.
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _unavailable(action: str, error: Exception) -> CredentialStoreError:
    # The backend's own message can be long or cryptic (D-Bus), and a failing
    # set_password may even repeat the key: name the exception's kind only.
    reason = f"no working keyring backend ({type(error).__name__})"
    return CredentialStoreError(
        f"cannot {action}: {reason}; set {API_KEY_ENV} in the environment instead", reason
    )


def api_key_from_environment() -> str | None:
    """The key from `REACHKIT_API_KEY`, if set and not blank."""
    value = os.environ.get(API_KEY_ENV, "").strip()
    return value or None


@dataclass(frozen=True)
class SessionKey:
    """A key kept in this process's memory only ("for this session only" on the welcome
    screen): never written anywhere, gone when the app quits."""

    api_key: str = field(repr=False)


def load_api_key(profile: str) -> str | None:
    """The profile's key: the environment first, then the keyring; None when there is none.

    Raises CredentialStoreError only when the environment has no key and the keyring fails.
    """
    from_environment = api_key_from_environment()
    if from_environment:
        return from_environment
    try:
        return keyring.get_password(SERVICE_NAME, profile)
    except Exception as error:  # any backend failure means "no usable keyring"
        raise _unavailable("read the API key", error) from None


def store_api_key(profile: str, api_key: str) -> None:
    """Save the profile's key in the keyring."""
    try:
        keyring.set_password(SERVICE_NAME, profile, api_key)
    except Exception as error:
        raise _unavailable("store the API key", error) from None


def delete_api_key(profile: str) -> bool:
    """Remove the profile's key; False when there was none."""
    try:
        keyring.delete_password(SERVICE_NAME, profile)
    except keyring.errors.PasswordDeleteError:
        return False
    except Exception as error:
        raise _unavailable("remove the API key", error) from None
    return True
