class ActionRefused(Exception):
    """A state change the rules do not allow; the message is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
