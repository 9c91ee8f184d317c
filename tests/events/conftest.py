from datetime import date

import pytest

from conference.events.models import OrganiserRole, SessionKind, SpeakerRole
from conference.extensions import db
from tests import factories as f


@pytest.fixture
def forum(app):
    """Integrationsforum 2020 with a host, co-organisers, a stage and speakers with dated titles."""
    with app.app_context():
        lst = f.organisation("lansstyrelsen", "Länsstyrelsen i Västra Götalands län")
        af = f.organisation("arbetsformedlingen", "Arbetsförmedlingen", registry_number="202100-2114", country="SE")
        sr = f.organisation("sveriges-radio", "Sveriges Radio")
        e = f.event("integrationsforum-2020", title="Integrationsforum 2020", starts_at=f.local(2020, 11, 26, 9),
                    hours=6, audience="Politiker och tjänstepersoner", contact_name="Anna Press",
                    contact_email="press@example.org")
        f.link(e, af, OrganiserRole.CO_ORGANISER)
        f.link(e, lst, OrganiserRole.HOST)
        stage = f.stage(e, "Sändning")
        karin = f.person("Karin Ekholm", ("Utrikeskorrespondent", sr, date(2015, 1, 1), None))
        jonas = f.person("Jonas Lindqvist", ("Utredare", None, date(2017, 1, 1), date(2022, 8, 31)),
                         ("Enhetschef", None, date(2022, 9, 1), None))
        f.session(e, "Global migration i coronatider", f.local(2020, 11, 26, 9, 15), stage=stage,
                  speakers=[(karin, SpeakerRole.SPEAKER)], abstract="Nära 80 miljoner på flykt.")
        f.session(e, "Paus", f.local(2020, 11, 26, 10), 15, stage=stage, kind=SessionKind.BREAK)
        f.session(e, "Bosättning", f.local(2020, 11, 26, 10, 15), stage=stage,
                  speakers=[(jonas, SpeakerRole.SPEAKER), (karin, SpeakerRole.MODERATOR)])
        db.session.commit()
        return {"slug": e.slug, "id": e.id, "karin": karin.id, "jonas": jonas.id,
                "sessions": [s.id for s in e.sessions]}
