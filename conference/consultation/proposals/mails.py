"""The mails to a proposer, in the proposer's language, queued in the outbox."""

from flask_babel import lazy_gettext as _l

from conference.consultation.proposals.links import token_of
from conference.consultation.proposals.models import AgendaProposal
from conference.outbox import services as outbox
from conference.outbox.compose import external_url


def mail(proposal: AgendaProposal, template: str, subject, *, kind: str) -> None:
    """Queue emails/consultation/<template> for the proposer, with the links to the proposal and its process."""
    token = token_of(proposal)
    outbox.send(f"consultation/{template}", outbox.Addressee(proposal.proposer_name, proposal.email, proposal.language),
                subject, kind=kind, proposal=proposal, process=proposal.process,
                proposal_url=external_url("proposals.proposal", token=token),
                confirm_url=external_url("proposals.confirm_proposal", token=token),
                process_url=external_url("processes.process", slug=proposal.process.slug))


def mail_confirmation(proposal: AgendaProposal) -> None:
    mail(proposal, "proposal_confirm", _l("Confirm your agenda proposal for %(title)s", title=proposal.process.title),
         kind="proposal.confirm")


def mail_feedback(proposal: AgendaProposal) -> None:
    mail(proposal, "proposal_feedback",
         _l("Feedback on your agenda proposal for %(title)s", title=proposal.process.title), kind="proposal.feedback")


def mail_new_link(proposal: AgendaProposal) -> None:
    mail(proposal, "proposal_new_link",
         _l("A new link to your agenda proposal for %(title)s", title=proposal.process.title),
         kind="proposal.new_link")
