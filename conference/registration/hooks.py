"""Changes to registrations that features above registration react to, in the same transaction."""

from conference.core.hooks import Hook

# registration=, now=: a registration was cancelled (by the registrant, an organiser or expiry)
registration_cancelled = Hook("registration_cancelled")
# registration=, now=: asked while the confirmation mail is written; receivers return
# (name, url) pairs of personal links the mail shows, such as the stream's watch link
confirmation_links = Hook("confirmation_links")
