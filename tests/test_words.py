"""Language, exactly: counts, sort labels, stored codes, admin sections and dates."""

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.template import Context, Template
from django.utils import timezone, translation

from doorstep import views as doorstep_views
from governance import services
from governance.models import (
    Case,
    CaseCount,
    CaseStatus,
    CaseUpdate,
    FollowUp,
    Satisfaction,
    UpdateKind,
)
from tests import factories

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _resolved_case(area, secretary) -> Case:
    case = factories.case(area, secretary)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED)
    CaseCount.objects.rebuild()  # the shortcut bypassed the services that keep the counts
    case.refresh_from_db()
    return case


# Nothing translated is stored as data


def test_a_follow_up_recorded_in_english_reads_in_chinese(client, area, secretary):
    case = _resolved_case(area, secretary)
    with translation.override("en"):
        services.case_follow_up(case=case, actor=secretary, satisfaction=Satisfaction.UNSATISFIED)
    follow_up = case.updates.get(kind=UpdateKind.FOLLOW_UP)
    reopening = case.updates.get(to_status=CaseStatus.REOPENED)
    assert (follow_up.satisfaction, follow_up.text) == (Satisfaction.UNSATISFIED, "")
    assert (reopening.satisfaction, reopening.text) == (Satisfaction.UNSATISFIED, "")

    client.force_login(secretary)
    page = client.get(case.get_absolute_url(), **ZH).text
    assert "<p>不满意</p>" in page
    assert "<p>居民不满意。</p>" in page
    assert "unsatisfied" not in page.replace('value="unsatisfied"', "")
    assert "The resident was not satisfied." not in page
    english = client.get(case.get_absolute_url(), **EN).text
    assert "<p>Unsatisfied</p>" in english
    assert "<p>The resident was not satisfied.</p>" in english


def test_a_follow_up_keeps_only_the_recorders_comment_as_text(area, secretary):
    case = _resolved_case(area, secretary)
    services.case_follow_up(
        case=case, actor=secretary, satisfaction=Satisfaction.SATISFIED, comment=" 修好了 "
    )
    update = case.updates.get(kind=UpdateKind.FOLLOW_UP)
    assert (update.satisfaction, update.text) == (Satisfaction.SATISFIED, "修好了")


def test_the_migration_turns_stored_outcome_words_into_codes(area, secretary):
    migration = importlib.import_module("governance.migrations.0012_follow_up_outcome_code")
    case = factories.case(area, secretary)

    def old_row(kind, text, **fields):
        return CaseUpdate.objects.create(
            case=case, author=secretary, kind=kind, text=text, **fields
        )

    english = old_row(UpdateKind.FOLLOW_UP, "unsatisfied. Still leaking.")
    chinese = old_row(UpdateKind.FOLLOW_UP, "基本满意. 还行")
    bare = old_row(UpdateKind.FOLLOW_UP, "满意.")
    reopening = old_row(
        UpdateKind.TRANSITION, "居民不满意。", from_status="resolved", to_status="reopened"
    )
    note = old_row(UpdateKind.NOTE, "unsatisfied. is a word a note may start with")
    # A reopening that carried the resident's comment, at the moment of its follow-up.
    at = timezone.now() - datetime.timedelta(days=1)
    FollowUp.objects.create(
        case=case,
        satisfaction="unsatisfied",
        comment="又漏了",
        recorded_by=secretary,
        created_at=at,
    )
    commented = old_row(
        UpdateKind.TRANSITION, "又漏了", from_status="resolved", to_status="reopened", created_at=at
    )
    by_hand = old_row(
        UpdateKind.TRANSITION, "复查发现未整改", from_status="closed", to_status="reopened"
    )

    migration.outcome_to_code(apps, None)

    for row in (english, chinese, bare, reopening, note, commented, by_hand):
        row.refresh_from_db()
    assert (english.satisfaction, english.text) == ("unsatisfied", "Still leaking.")
    assert (chinese.satisfaction, chinese.text) == ("basically_satisfied", "还行")
    assert (bare.satisfaction, bare.text) == ("satisfied", "")
    assert (reopening.satisfaction, reopening.text) == ("unsatisfied", "")
    assert note.satisfaction == ""
    assert (commented.satisfaction, commented.text) == ("unsatisfied", "又漏了")
    assert (by_hand.satisfaction, by_hand.text) == ("", "复查发现未整改")


# The workbench's sort choices, from one source in the reader's language


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["newest first", "oldest first", "due soonest first", "most urgent first"]),
        ("zh-hans", ["最新登记在前", "最早登记在前", "办结期限最近在前", "最紧急在前"]),
    ],
)
def test_the_workbench_sort_choices_read_in_the_readers_language(
    rf, street_staff, language, expected
):
    from governance.filters import CASE_SORT_CHOICES, CaseFilter

    request = rf.get("/cases/")
    request.user = street_staff
    with translation.override(language):
        form = CaseFilter({}, queryset=Case.objects.none(), request=request).form
        choices = [(value, str(label)) for value, label in form.fields["sort"].choices]
    assert [value for value, _label in choices] == [value for value, _ in CASE_SORT_CHOICES]
    labels = [label for _value, label in choices]
    assert labels[:3] == expected[:3]
    assert expected[3] in labels
    assert len(set(labels)) == len(labels)
    assert not any("descending" in label or "已创建" in label for label in labels)


def test_the_case_list_sorts_in_the_readers_language(client, area, secretary):
    factories.case(area, secretary)
    client.force_login(secretary)
    assert '<option value="due">due soonest first</option>' in client.get("/cases/", **EN).text
    chinese = client.get("/cases/?sort=due", **ZH).text
    assert '<option value="due" selected>办结期限最近在前</option>' in chinese


# The admin: the portal's sections first, the others' named in the reader's language


def test_the_admin_index_lists_the_portals_sections_first_all_named_in_chinese(
    client, street_staff
):
    street_staff.is_superuser = True
    street_staff.save()
    client.force_login(street_staff)
    response = client.get("/admin/", **ZH)
    sections = [(app["app_label"], str(app["name"])) for app in response.context["app_list"]]
    labels = [label for label, _name in sections]
    names = dict(sections)
    third_party = ["django_tasks_database", "axes", "otp_totp"]
    last_portal = max(
        labels.index(label) for label in ("residents", "governance", "wishes", "brands", "accounts")
    )
    assert all(labels.index(label) > last_portal for label in [*third_party, "auth"])
    assert [names[label] for label in third_party] == ["后台任务", "登录锁定", "两步验证设备"]
    assert all(names[label] in response.text for label in third_party)


# Dates: one ISO form in both languages


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_dates_without_an_explicit_format_read_iso_in_both_languages(language):
    moment = datetime.datetime(2026, 12, 9, 8, 30, tzinfo=datetime.UTC)
    template = Template(
        "{{ day }}|{{ moment }}|"
        '{{ day|date:"SHORT_DATE_FORMAT" }}|{{ moment|date:"DATETIME_FORMAT" }}'
    )
    with translation.override(language):
        rendered = template.render(Context({"day": moment.date(), "moment": moment}))
    assert rendered == "2026-12-09|2026-12-09 16:30|2026-12-09|2026-12-09 16:30"


def test_a_stations_week_reads_iso_dates_in_english(client, monkeypatch, area):
    friday_evening = datetime.datetime(2026, 12, 11, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(doorstep_views, "_now", lambda: friday_evening)
    station = factories.StationFactory(area=area)
    for day in range(5):
        factories.opening(station, day, "09:00", "17:00")

    html = client.get(station.get_absolute_url(), **EN).content.decode()

    assert "2026-12-11" in html and "2026-12-14" in html  # the week, from today
    assert "Closed now, opens Monday 2026-12-14 at 09:00" in html
    assert "12/11" not in html and "12/14" not in html


# Counts: every one through ngettext


def test_the_home_page_counts_in_english_singular_and_plural(client, street):
    factories.AreaFactory(street=street)

    one = client.get("/", **EN).text
    factories.AreaFactory(street=street)
    two = client.get("/", **EN).text

    assert '<span class="figure">1</span> residential area</li>' in one
    assert '<span class="figure">2</span> residential areas</li>' in two
    assert '<span class="figure">0</span> party organisations</li>' in two
