"""Every form the GOV.UK way: an error summary that takes the focus and links to each field,
messages that say what to do, label, hint, error and input together, optional fields marked,
worded empty choices and no colon after a label."""

import re
from pathlib import Path

import django_filters
import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from governance.models import Case, Channel, Priority
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _tag(html: str, tag: str, name: str) -> str:
    """The opening tag of the form control called ``name``."""
    found = re.search(rf'<{tag}\b[^>]*\bname="{name}"[^>]*>', html)
    assert found, f"no <{tag} name={name}>"
    return found.group(0)


def _labels(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).strip()
        for text in re.findall(r"<label\b[^>]*>(.*?)</label>", html, re.S)
    ]


@pytest.fixture
def failed_case_form(client, secretary):
    client.force_login(secretary)
    response = client.post(reverse("governance:case_create"), {"title": ""})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def form_pages(client, area, secretary, street_staff):
    """The HTML of a spread of staff and public forms, fresh and failed."""
    session = factories.SessionFactory(event__street=area.street)
    book = reverse("forums:session_book", args=[session.event.slug, session.pk])
    pages = [client.get(reverse("login")), client.get(book), client.post(book, {"name": ""})]
    pages.append(client.get(reverse("forums:booking_lookup")))
    client.force_login(secretary)
    pages += [
        client.get(reverse("governance:case_create")),
        client.post(reverse("governance:case_create"), {"title": ""}),
        client.get(reverse("wishes:wish_create")),
    ]
    client.force_login(street_staff)
    pages += [
        client.get(reverse("governance:person_create")),
        client.get(reverse("doorstep:service_create")),
        client.get(reverse("doorstep:station_create")),
    ]
    assert [page.status_code for page in pages] == [200] * len(pages)
    return [page.content.decode() for page in pages]


# 1. The error summary ----------------------------------------------------------------------------


def test_a_failed_form_opens_with_an_error_summary_linking_to_each_field(failed_case_form):
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', failed_case_form, re.S)

    assert summary, "no error summary"
    opening = summary.group(0).split(">", 1)[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    links = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert {"id_category", "id_title", "id_description", "id_channel"} <= set(links)
    for field_id in links:
        assert f'id="{field_id}"' in failed_case_form
    # The summary comes before the first field.
    assert failed_case_form.index("error-summary") < failed_case_form.index('name="title"')


def test_a_form_without_errors_has_no_summary(client, secretary):
    client.force_login(secretary)
    html = client.get(reverse("governance:case_create")).content.decode()

    assert "error-summary" not in html and "error-summary.js" not in html


def test_the_summary_takes_the_focus_by_a_static_script(failed_case_form):
    script = re.search(r'<script\b[^>]*src="([^"]*error-summary\.js)"[^>]*>', failed_case_form)

    assert script and " defer" in script.group(0)
    assert "focus()" in Path(finders.find("js/error-summary.js")).read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", failed_case_form), "an inline script"


def test_non_field_errors_are_listed_without_a_link(client):
    class _Form(forms.Form):
        name = forms.CharField()

        def clean(self):
            raise forms.ValidationError("whole form", code="whole")

    html = render_to_string("includes/form_fields.html", {"form": _Form({"name": "x"})})

    assert "<li>whole form</li>" in html


# 2. Messages that say what to do -----------------------------------------------------------------


def test_required_messages_name_the_field_and_what_to_do(client, secretary):
    client.force_login(secretary)
    url = reverse("governance:case_create")

    zh = client.post(url, {"title": ""}).content.decode()
    en = client.post(url, {"title": ""}, **EN).content.decode()

    assert '<a href="#id_title">请填写标题</a>' in zh
    assert '<a href="#id_category">请选择类别</a>' in zh
    assert '<a href="#id_title">Enter the title</a>' in en
    assert '<a href="#id_category">Choose the category</a>' in en
    assert "This field is required" not in en and "这个字段是必填项" not in zh


class _Kinds(forms.Form):
    name = forms.CharField(label="Full name")
    colour = forms.ChoiceField(choices=[("", "---------"), ("r", "Red")])
    day = forms.MultipleChoiceField(choices=[("1", "Mon")], widget=forms.CheckboxSelectMultiple)
    size = forms.ChoiceField(choices=[("s", "S")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="I agree")
    photo = forms.FileField()
    code = forms.CharField(error_messages={"required": "Enter the code from the text message"})


def test_required_messages_are_worded_from_the_label_and_the_kind_of_input():
    with translation.override("en"):
        errors = _Kinds({}).errors

    assert errors["name"] == ["Enter the full name"]
    assert errors["colour"] == ["Choose the colour"]
    assert errors["day"] == ["Choose at least one day"]
    assert errors["size"] == ["Choose the size"]
    assert errors["agree"] == ["Tick “I agree”"]
    assert errors["photo"] == ["Choose the photo to upload"]
    assert errors["code"] == ["Enter the code from the text message"]  # its own message is kept


# 3. Label, hint, error and input together; every invalid input marked -----------------------------


def test_the_error_sits_between_the_hint_and_the_input(client, area):
    session = factories.SessionFactory(event__street=area.street)
    html = client.post(
        reverse("forums:session_book", args=[session.event.slug, session.pk]), {"name": ""}
    ).content.decode()

    block = re.search(r'<div class="field field--error">.*?name="name".*?</div>', html, re.S).group(
        0
    )
    order = [
        block.index(part) for part in ("<label", "id_name_helptext", "id_name_error", "<input")
    ]
    assert order == sorted(order)


def test_an_invalid_text_input_is_marked_and_described(failed_case_form):
    title = _tag(failed_case_form, "input", "title")

    assert 'aria-invalid="true"' in title
    assert 'aria-describedby="id_title_error"' in title
    assert 'id="id_title_error"' in failed_case_form


def test_an_invalid_select_and_textarea_are_marked(failed_case_form):
    for tag, name in (("select", "category"), ("textarea", "description")):
        opening = _tag(failed_case_form, tag, name)
        assert 'aria-invalid="true"' in opening, name
        assert f"id_{name}_error" in opening, name


def test_a_valid_field_is_not_marked(failed_case_form):
    assert "aria-invalid" not in _tag(failed_case_form, "input", "location")


def test_an_invalid_group_of_radios_or_boxes_is_marked_on_each_input_and_its_fieldset():
    form = _Kinds({"name": "x"})
    html = render_to_string("includes/form_fields.html", {"form": form})

    for name in ("size", "day"):
        fieldset = re.search(rf'<fieldset aria-describedby="id_{name}_error">', html)
        assert fieldset, name
        assert 'aria-invalid="true"' in _tag(html, "input", name), name
    assert 'href="#id_size"' in html and 'href="#id_agree"' in html


# 4. Optional fields marked -----------------------------------------------------------------------


def test_an_optional_field_says_so_and_a_required_one_does_not(client, secretary):
    client.force_login(secretary)
    zh = _labels(client.get(reverse("governance:case_create")).content.decode())
    en = _labels(client.get(reverse("governance:case_create"), **EN).content.decode())

    assert "具体位置（选填）" in zh and "标题" in zh
    assert "Location (optional)" in en and "Title" in en
    assert not any(label.startswith("标题（") for label in zh)


def test_a_filter_does_not_mark_its_fields_optional(client, street_staff):
    """Every filter may be left empty: "(optional)" on each would say nothing."""
    html = client.get(reverse("doorstep:service_list"), **EN).content.decode()
    assert "(optional)" not in html
    assert "（选填）" not in client.get(reverse("doorstep:service_list")).content.decode()
    client.force_login(street_staff)
    for name in ("governance:case_list", "reports:dashboard"):
        assert "(optional)" not in client.get(reverse(name), **EN).content.decode(), name


# 5. Worded empty choices -------------------------------------------------------------------------


def test_no_form_offers_a_row_of_dashes(form_pages):
    for html in form_pages:
        assert "---------" not in html


def test_an_empty_choice_reads_choose_in_a_form_and_all_in_a_filter(client, street_staff):
    client.force_login(street_staff)
    html = client.get(reverse("governance:case_create"), **EN).content.decode()
    assert '<option value="" selected>Choose…</option>' in html

    class _Filter(django_filters.FilterSet):
        status = django_filters.ChoiceFilter(choices=[("new", "New")])

        class Meta:
            model = Case
            fields = []

    with translation.override("en"):
        rendered = str(_Filter({}, queryset=Case.objects.none()).form["status"])
    assert '<option value="" selected>All</option>' in rendered


# 6. No half-width colon after a label ------------------------------------------------------------


def test_no_label_ends_with_a_colon(form_pages):
    labels = [label for html in form_pages for label in _labels(html)]

    assert labels
    assert [label for label in labels if label.endswith((":", "："))] == []


def test_a_label_tag_has_no_colon_in_either_language():
    with translation.override("zh-hans"):
        zh = str(_Kinds()["name"].label_tag())
    with translation.override("en"):
        en = str(_Kinds()["name"].label_tag())

    assert zh.endswith("Full name</label>") and en.endswith("Full name</label>")


# 7. The "not one of the cases above" box ---------------------------------------------------------


def _case_data(area, category, compound):
    return {
        "area": area.pk,
        "category": category.pk,
        "title": "又有垃圾",
        "description": "同一地点",
        "compound": compound.pk,
        "channel": Channel.PATROL,
        "priority": Priority.NORMAL,
    }


def test_the_not_a_duplicate_box_is_absent_without_similar_cases(client, area, secretary):
    client.force_login(secretary)
    compound = factories.CompoundFactory(area=area)
    data = _case_data(area, factories.CategoryFactory(), compound)

    fresh = client.get(reverse("governance:case_create")).content.decode()
    failed = client.post(reverse("governance:case_create"), {**data, "title": ""}).content.decode()

    for html in (fresh, failed):
        assert 'name="not_a_duplicate"' not in html
        assert "duplicates-heading" not in html


def test_the_not_a_duplicate_box_shows_below_similar_cases(client, area, secretary):
    client.force_login(secretary)
    compound = factories.CompoundFactory(area=area)
    category = factories.CategoryFactory()
    factories.case(area, secretary, category=category, compound=compound, title="垃圾堆放")

    response = client.post(reverse("governance:case_create"), _case_data(area, category, compound))
    html = response.content.decode()

    assert response.context["form"].has_error("not_a_duplicate", "possible_duplicate")
    assert "duplicates-heading" in html and 'name="not_a_duplicate"' in html
    assert html.index("duplicates-heading") < html.index('name="not_a_duplicate"')
    assert 'href="#id_not_a_duplicate"' in html
