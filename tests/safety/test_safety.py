"""Blocks and safety separation: two-way effect, silence toward the other person."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from network import policy
from network.accounts import services as accounts
from network.extensions import db
from network.models import (
    AuditEvent,
    Block,
    Membership,
    Profile,
    RequestStatus,
    Role,
    Separation,
    SeparationRequest,
    TrustLevel,
)
from network.safety import services
from tests import factories
from tests.conftest import post_form


@pytest.fixture
def people(app):
    org = factories.make_org("Home Org")
    protected = factories.make_member(org, pseudonym="Protected Pine")
    other = factories.make_member(org, pseudonym="Other Oak")
    bystander = factories.make_member(org, pseudonym="Bystander Birch")
    return org, protected, other, bystander


def _views(client, profile_id: str) -> list[tuple[int, bytes]]:
    """Everything the other person can ask about the protected person."""
    urls = [
        f"/profiles/{profile_id}",
        "/directory",
        "/directory?q=Protected+Pine",
        "/directory?q=pine",
        "/directory?region=ON",
        "/directory?page=2",
        f"/profiles/{profile_id}/../{profile_id}",
    ]
    responses = [client.get(url) for url in urls]
    responses.append(
        post_form(client, f"/profiles/{profile_id}/block", {}, token_from="/logout")
    )
    return [(r.status_code, r.get_data()) for r in responses]


def test_other_persons_view_is_byte_identical_to_absence(app, people, login_as):
    org, protected, other, bystander = people
    profile_id = protected.profile.public_id
    services.file_separation(protected, other, actor=protected)
    other_client = login_as(other)
    separated_view = _views(other_client, profile_id)
    assert separated_view[0][0] == 404

    # Now make the protected person truly absent and ask the same questions.
    db.session.execute(delete(Separation))
    db.session.execute(delete(Membership).where(Membership.account_id == protected.id))
    db.session.execute(delete(Profile).where(Profile.account_id == protected.id))
    db.session.commit()
    absent_view = _views(other_client, profile_id)
    assert separated_view == absent_view


def test_separation_hides_both_ways_and_only_protected_sees_it(app, people, login_as):
    org, protected, other, bystander = people
    row = services.file_separation(protected, other, actor=protected)
    assert row.other_id == other.id
    assert policy.separated(protected, other) and policy.separated(other, protected)
    protected_client, other_client = login_as(protected), login_as(other)
    assert (
        protected_client.get(f"/profiles/{other.profile.public_id}").status_code == 404
    )
    assert "Other Oak" not in protected_client.get("/directory").get_data(as_text=True)
    assert "Protected Pine" not in other_client.get("/directory").get_data(as_text=True)
    assert "Other Oak" in protected_client.get("/account/safety").get_data(as_text=True)
    # Nobody else can see or withdraw it.
    for client in (
        other_client,
        login_as(bystander),
        login_as(factories.make_member(org, role=Role.LEAD)),
    ):
        assert "Protected Pine" not in client.get("/account/safety").get_data(
            as_text=True
        )
        response = post_form(
            client, f"/safety/{row.public_id}/withdraw", {}, token_from="/logout"
        )
        assert response.status_code == 404
    assert db.session.scalar(select(func.count(Separation.id))) == 1
    # The bystander sees both as before.
    bystander_page = login_as(bystander).get("/directory").get_data(as_text=True)
    assert "Protected Pine" in bystander_page and "Other Oak" in bystander_page


def test_notice_helper_tells_only_the_protected(app, people):
    org, protected, other, bystander = people
    services.file_separation(protected, other, actor=protected)
    assert policy.protected_from_any(protected, [bystander.id, other.id])
    assert not policy.protected_from_any(other, [bystander.id, protected.id])
    assert not policy.protected_from_any(bystander, [protected.id, other.id])


def test_asking_about_a_name_reads_the_same_and_separates_nobody(app, people, login_as):
    org, protected, other, bystander = people
    hidden_elsewhere = factories.make_member(factories.make_org(), pseudonym="Far Fern")
    client = login_as(protected)
    pages = []
    for name in ("Bystander Birch", "Far Fern", "Nobody Yet"):
        response = post_form(
            client,
            "/account/safety",
            {"pseudonym": name, "note": "from before"},
            token_from="/account/safety",
            follow_redirects=True,
        )
        assert response.status_code == 200
        pages.append(response.get_data(as_text=True).replace(name, "NAME"))
    assert "went to your organization&#39;s leads" in pages[0]
    assert db.session.scalar(select(func.count(Separation.id))) == 0
    asked = list(db.session.scalars(select(SeparationRequest)))
    assert {row.status for row in asked} == {RequestStatus.ASKED}
    assert {row.organization_id for row in asked} == {org.id}
    assert not policy.separated(protected, bystander)
    assert not policy.separated(protected, hidden_elsewhere)


def test_looking_up_a_name_only_searches_profiles_one_can_see(app, people, login_as):
    org, protected, other, bystander = people
    factories.make_member(factories.make_org(), pseudonym="Birch Far Away")
    services.file_separation(protected, other, actor=protected)
    client = login_as(protected)

    def matches(query: str) -> str:
        html = client.get(f"/account/safety?q={query}").get_data(as_text=True)
        return html.split('id="matches"')[1].split("</ul>")[0]

    assert "Bystander Birch" in matches("birch")
    assert "Birch Far Away" not in matches("birch")
    assert "Other Oak" not in matches("oak")
    assert matches("oak") == matches("nobody").replace("nobody", "oak")


def test_separation_bad_input_changes_nothing(app, people, login_as):
    org, protected, other, bystander = people
    client = login_as(protected)
    for data, message in [
        ({"pseudonym": ""}, "Enter the name"),
        ({"pseudonym": "protected pine"}, "person protected"),
        ({"pseudonym": "x" * 60}, "at most 32"),
        ({"pseudonym": "Someone", "note": "x" * 600}, "at most 500"),
    ]:
        response = post_form(
            client, "/account/safety", data, token_from="/account/safety"
        )
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Separation.id))) == 0
    assert db.session.scalar(select(func.count(SeparationRequest.id))) == 0


def test_separation_audit_names_nobody_else_and_stays_out_of_org_logs(
    app, people, login_as
):
    org, protected, other, bystander = people
    other_lead = factories.make_member(org, role=Role.LEAD, pseudonym="Lead Larch")
    client = login_as(protected)
    post_form(
        client,
        f"/profiles/{other.profile.public_id}/separate",
        {},
        token_from="/logout",
    )
    row = db.session.scalar(select(Separation))
    assert (row.protected_id, row.other_id, row.filed_by_id) == (
        protected.id,
        other.id,
        protected.id,
    )
    listed = login_as(other_lead).get("/org/safety").get_data(as_text=True)
    assert "Other Oak" not in listed.split('id="requests"')[1]
    post_form(client, f"/safety/{row.public_id}/withdraw", {}, token_from="/logout")
    assert db.session.scalar(select(func.count(Separation.id))) == 0
    events = list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("separation.%"))
        )
    )
    assert [e.action for e in events] == ["separation.filed", "separation.withdrawn"]
    for event in events:
        assert event.target_account_id == protected.id
        assert event.organization_id is None  # in no organization's visible log
        assert other.id not in (event.actor_id, event.target_account_id)
        assert "Oak" not in str(event.detail)
    audit_page = login_as(other_lead).get(f"/orgs/{org.public_id}/audit")
    assert "separation" not in audit_page.get_data(as_text=True)


def test_lead_cannot_file_for_another_orgs_member(app, people, login_as):
    org, protected, other, bystander = people
    foreign = factories.make_org()
    foreign_lead = factories.make_member(foreign, role=Role.LEAD)
    response = post_form(
        login_as(foreign_lead),
        "/org/safety",
        {"member": protected.profile.public_id, "pseudonym": "Other Oak"},
        token_from="/org/safety",
    )
    assert response.status_code == 400
    assert "Choose a member of your organization." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Separation.id))) == 0
    assert db.session.scalar(select(func.count(SeparationRequest.id))) == 0


def test_block_is_two_way_silent_and_private(app, people, login_as):
    org, blocker, blocked, bystander = people
    blocker_client, blocked_client = login_as(blocker), login_as(blocked)
    missing = blocked_client.get("/profiles/doesNotExist123")
    response = post_form(
        blocker_client,
        f"/profiles/{blocked.profile.public_id}/block",
        {"confirm": "1"},
        token_from="/logout",
    )
    assert response.status_code == 302
    assert policy.blocked(blocker, blocked) and policy.blocked(blocked, blocker)
    seen_by_blocked = blocked_client.get(f"/profiles/{blocker.profile.public_id}")
    assert (seen_by_blocked.status_code, seen_by_blocked.get_data()) == (
        missing.status_code,
        missing.get_data(),
    )
    assert "Protected Pine" not in blocked_client.get("/directory").get_data(
        as_text=True
    )
    assert (
        blocker_client.get(f"/profiles/{blocked.profile.public_id}").status_code == 404
    )
    assert "Other Oak" in blocker_client.get("/account/blocks").get_data(as_text=True)
    assert "Protected Pine" not in blocked_client.get("/account/blocks").get_data(
        as_text=True
    )
    row = db.session.scalar(select(Block))
    for client in (blocked_client, login_as(bystander)):
        response = post_form(
            client, f"/account/blocks/{row.public_id}/remove", {}, token_from="/logout"
        )
        assert response.status_code == 404
    assert db.session.scalar(select(func.count(Block.id))) == 1
    post_form(
        blocker_client,
        f"/account/blocks/{row.public_id}/remove",
        {},
        token_from="/logout",
    )
    assert not policy.blocked(blocker, blocked)
    assert (
        blocked_client.get(f"/profiles/{blocker.profile.public_id}").status_code == 200
    )


def test_block_oneself_is_refused(app, people, login_as):
    org, me, _, _ = people
    client = login_as(me)
    response = post_form(
        client,
        f"/profiles/{me.profile.public_id}/block",
        {"confirm": "1"},
        token_from="/logout",
    )
    assert response.status_code == 400
    assert "You cannot block yourself." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Block.id))) == 0
    with pytest.raises(accounts.InputError):
        services.block(me.id, actor=me)


def _rich_world():
    """Many accounts in many relations, for the filter/check agreement test."""
    from network.models import Status, utcnow

    orgs = [factories.make_org(f"World {n}") for n in range(4)]
    factories.set_trust(orgs[0], orgs[1], TrustLevel.SEE)
    factories.set_trust(orgs[0], orgs[2], TrustLevel.MESSAGE, TrustLevel.NONE)
    factories.set_trust(orgs[1], orgs[2], TrustLevel.COLLABORATE)
    factories.set_trust(orgs[1], orgs[3], TrustLevel.MESSAGE)
    people = []
    for index, org in enumerate(orgs):
        people += [factories.make_member(org) for _ in range(3)]
        people.append(factories.make_member(org, status=Status.PENDING))
        people.append(factories.make_member(org, status=Status.SUSPENDED))
        hidden = factories.make_member(org)
        hidden.profile.hidden_from_other_orgs = True
        people.append(hidden)
    orgs[3].suspended_at = utcnow()
    services.block(people[1].id, actor=people[0])
    services.block(people[0].id, actor=people[7])
    services.file_separation(people[2], people[6], actor=people[2])
    services.file_separation(people[8], people[1], actor=people[8])
    people.append(factories.make_admin())
    db.session.commit()
    return people


def test_visible_profiles_agrees_with_can_see_profile(app):
    people = _rich_world()
    profiles = list(db.session.scalars(select(Profile)))
    for viewer in people:
        listed = set(
            db.session.scalars(policy.visible_profiles(select(Profile.id), viewer))
        )
        for profile in profiles:
            assert (profile.id in listed) == policy.can_see_profile(viewer, profile), (
                viewer.profile.pseudonym,
                profile.pseudonym,
            )


def test_hidden_member_stays_visible_to_own_org(app, login_as):
    org_a, org_b = factories.make_org(), factories.make_org()
    factories.set_trust(org_a, org_b, TrustLevel.MESSAGE)
    shy = factories.make_member(org_a, pseudonym="Shy Sumac")
    client = login_as(shy)
    post_form(
        client,
        "/account",
        {"pseudonym": "Shy Sumac", "region": "ON", "hidden_from_other_orgs": "y"},
        token_from="/account",
    )
    db.session.refresh(shy.profile)
    assert shy.profile.hidden_from_other_orgs
    same = login_as(factories.make_member(org_a)).get("/directory")
    other = login_as(factories.make_member(org_b)).get("/directory")
    assert "Shy Sumac" in same.get_data(as_text=True)
    assert "Shy Sumac" not in other.get_data(as_text=True)


def test_directory_filters_and_counts(app, login_as):
    org = factories.make_org()
    viewer = factories.make_member(org)
    for n, (region, langs, tags) in enumerate(
        [
            ("QC", "fr", "legal"),
            ("QC", "fr,en", "housing"),
            ("ON", "en", "legal,youth"),
        ]
    ):
        member = factories.make_member(org, pseudonym=f"Filter Person {n}")
        member.profile.region, member.profile.languages = region, langs
        member.profile.experience = tags
    db.session.commit()
    client = login_as(viewer)

    def names(query: str) -> set[str]:
        html = client.get("/directory?" + query).get_data(as_text=True)
        return {f"Filter Person {n}" for n in range(3) if f"Filter Person {n}" in html}

    assert names("region=QC") == {"Filter Person 0", "Filter Person 1"}
    assert names("language=en") == {"Filter Person 1", "Filter Person 2"}
    assert names("tag=legal") == {"Filter Person 0", "Filter Person 2"}
    assert names("tag=legal&region=QC&language=fr") == {"Filter Person 0"}
    assert names("q=FILTER+PERS0N+1") == {"Filter Person 1"}
    assert "1 person" in client.get("/directory?tag=housing").get_data(as_text=True)
    assert "0 people" in client.get("/directory?q=%25").get_data(as_text=True)
