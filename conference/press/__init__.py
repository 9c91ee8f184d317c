"""Press access to the stream: requests, review, personal watch links, the watch page."""
