"""Ticket transcripts by e-mail: `attach` here is a MIME attachment, not a Socket.IO server."""

from email.message import EmailMessage


class Transcript:
    def __init__(self, body: str) -> None:
        self.body = body
        self.parts: list[bytes] = []

    def attach(self, payload: bytes) -> None:
        self.parts.append(payload)


def build_transcript(ticket_id: str, lines: list[str]) -> EmailMessage:
    transcript = Transcript("\n".join(lines))
    transcript.attach(b"%PDF-1.7 ...")
    message = EmailMessage()
    message["Subject"] = f"Transcript of ticket {ticket_id}"
    message.set_content(transcript.body)
    return message
