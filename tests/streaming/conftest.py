"""The streaming tests run the real Google client against the stand-in of tests/fixtures/google.py."""

import pytest

from conference.streaming.youtube import YouTube


@pytest.fixture(autouse=True)
def offline(only_loopback, backoff_sleeps):
    """Every streaming test: no connection beyond loopback, and retries that record their sleeps."""


@pytest.fixture
def youtube(google_api, credentials_info):
    return YouTube(credentials_info, api_endpoint=google_api.base_url, timeout=5)
