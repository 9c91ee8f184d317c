"""The shape of a refusal by a service: a code the view turns into a message in the user's language."""


class RuleError(Exception):
    """A change the rules refuse; `code` says which rule."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code
