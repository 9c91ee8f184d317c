"""Ids in organiser addresses are checked against the event or process in the address: an organiser of one
meeting reaches nothing of another through their own meeting's pages, and a proposal or meeting of one process
is not reachable through another process."""

import io
from datetime import datetime, timezone

from PIL import Image
from sqlalchemy import func, select

from conference.consultation.comments import services as comments
from conference.consultation.comments.attachments import PDF, CheckedFile
from conference.consultation.comments.models import FeedbackAudience
from conference.consultation.groups.models import InvitedGroup
from conference.consultation.photos import services as photos
from conference.consultation.photos.models import Photo, TakedownRequest
from conference.consultation.processes.models import Process
from conference.consultation.proposals.models import AgendaProposal
from conference.extensions import db
from tests import factories as f
from tests.conftest import csrf_token, log_in

UTC = timezone.utc


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(out, "JPEG")
    return out.getvalue()


def test_an_organiser_of_one_meeting_reaches_nothing_of_another_through_their_own_pages(app):
    with app.test_request_context():
        theirs = f.event("event-a", title="A", starts_at=datetime(2031, 3, 20, 9, tzinfo=UTC), hours=2)
        mine = f.event("event-b", title="B", starts_at=datetime(2031, 3, 20, 9, tzinfo=UTC), hours=2)
        window, _created = comments.save_window(theirs, closes_at=datetime(2031, 4, 1, tzinfo=UTC),
                                                audience=FeedbackAudience.ANYONE, instructions="", user_id=None)
        comments.save_window(mine, closes_at=datetime(2031, 4, 1, tzinfo=UTC), audience=FeedbackAudience.ANYONE,
                             instructions="", user_id=None)
        comment = comments.submit_comment(
            window, comments.Commenter(name="X", email="x@example.org"), body="Hemligt.",
            attachment=CheckedFile(data=b"%PDF-1.4 x startxref 1 %%EOF", content_type=PDF, name="a.pdf"),
            now=datetime(2031, 3, 25, tzinfo=UTC), public_form=True)
        photo = photos.add_photo(theirs, jpeg(), photos.PhotoText(alt_text="Salen", credit="Kim"), user_id=None,
                                 now=datetime(2031, 3, 25, tzinfo=UTC))
        db.session.flush()
        request = photos.request_takedown(photo, photos.Requester(name="N", email="n@example.org"),
                                          now=datetime(2031, 3, 26, tzinfo=UTC))
        theirs.invited_groups.append(InvitedGroup(name="Forskare"))
        f.user("b@example.org", organiser_of=[mine])
        db.session.commit()
        ids = {"comment": comment.id, "photo": photo.id, "request": request.id, "group": theirs.invited_groups[0].id}
    client = app.test_client()
    log_in(client, "b@example.org")
    token = csrf_token(client, "/manage/events/event-b/feedback")
    mine_base = "/manage/events/event-b"
    answers = {
        "attachment": client.get(f"{mine_base}/feedback/comments/{ids['comment']}/attachment"),
        "image": client.get(f"{mine_base}/photos/{ids['photo']}/image"),
        "edit": client.get(f"{mine_base}/photos/{ids['photo']}/edit"),
        "put back": client.post(f"{mine_base}/photos/{ids['photo']}/put-back", data={"csrf_token": token}),
        "delete": client.post(f"{mine_base}/photos/{ids['photo']}/delete", data={"csrf_token": token}),
        "decision": client.post(f"{mine_base}/photos/requests/{ids['request']}/decision",
                                data={"csrf_token": token, f"request-{ids['request']}-keep": "1"}),
        "group": client.post(f"{mine_base}/groups/{ids['group']}/remove", data={"csrf_token": token}),
    }
    assert {name: response.status_code for name, response in answers.items()} == dict.fromkeys(answers, 404)
    assert all(b"%PDF" not in response.data and b"Hemligt" not in response.data for response in answers.values())
    assert client.get("/manage/events/event-a/feedback").status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(Photo.id))) == 1
        assert db.session.scalar(select(TakedownRequest.handled_at)) is None
        assert db.session.scalar(select(func.count(InvitedGroup.id))) == 1


def test_a_proposal_or_meeting_of_one_process_is_not_reachable_through_another(admin_client, app):
    with app.app_context():
        one, other = Process(slug="en", title="En"), Process(slug="annan", title="Annan")
        db.session.add_all([one, other])
        db.session.flush()
        proposal = AgendaProposal(process_id=one.id, title="Språkstöd", description="Mer.", organisation_name="F",
                                  proposer_name="Cia", email="cia@example.org", email_normalised="cia@example.org",
                                  nonce="n", token_hash="h", consent_version="t",
                                  confirmed_at=datetime(2031, 1, 2, tzinfo=UTC))
        db.session.add(proposal)
        meeting = f.event("sakrad", title="Sakråd", process_id=one.id)
        db.session.commit()
        ids = {"one": one.id, "other": other.id, "proposal": proposal.id, "meeting": meeting.id}
    base = f"/manage/processes/{ids['other']}"
    token = csrf_token(admin_client, f"{base}/proposals")
    feedback = admin_client.post(f"{base}/proposals/{ids['proposal']}/feedback",
                                 data={"csrf_token": token, "outcome": "not_taken_up", "feedback": "Nej."})
    new_link = admin_client.post(f"{base}/proposals/{ids['proposal']}/new-link", data={"csrf_token": token})
    topic = admin_client.post(f"{base}/meetings/{ids['meeting']}/topic",
                              data={"csrf_token": token, "proposal_id": str(ids["proposal"])})
    assert (feedback.status_code, new_link.status_code, topic.status_code) == (404, 404, 404)
    with app.app_context():
        stored = db.session.get(AgendaProposal, ids["proposal"])
        assert (stored.outcome, stored.feedback, stored.nonce) == (None, "", "n")
        assert f.topic_id_of(ids["meeting"]) is None
    # the same request through the proposal's own process does reach it
    right = admin_client.post(f"/manage/processes/{ids['one']}/proposals/{ids['proposal']}/new-link",
                              data={"csrf_token": token})
    assert right.status_code == 302
    with app.app_context():
        assert db.session.get(AgendaProposal, ids["proposal"]).nonce != "n"
