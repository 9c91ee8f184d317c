"""The proposer's personal link: derived from the proposal's nonce and stored only as a hash, so a
new nonce revokes the old link at once."""

from conference.consultation.proposals.models import AgendaProposal
from conference.core import tokens

LINK_PURPOSE = "proposal"


def token_of(proposal: AgendaProposal) -> str:
    return tokens.link_token(LINK_PURPOSE, proposal.nonce)


def by_token(token: str) -> AgendaProposal | None:
    return tokens.by_token(AgendaProposal, AgendaProposal.token_hash, token)


def give_new_secret(proposal: AgendaProposal) -> None:
    """A new personal link; the earlier one stops working."""
    proposal.nonce = tokens.new_nonce()
    proposal.token_hash = tokens.hash_token(token_of(proposal))
