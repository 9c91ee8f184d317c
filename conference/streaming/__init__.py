"""The stream: YouTube does the streaming, and this package is the only code that talks to it.

`youtube` wraps the YouTube Data API (live broadcasts) and the OAuth connection of the
organiser's channel; everything else in the app calls it with plain values and gets
`BroadcastInfo` or a `StreamingError` whose `code` the UI translates.
"""
