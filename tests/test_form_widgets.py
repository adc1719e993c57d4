"""The project's select template writes the same markup as Django's own, for every kind of
select and option, and leaves options of another template to that template."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer

from governance.filters import CaseFilter
from governance.models import Case
from tests import factories

CHOICES = [
    ("", "---------"),
    ("plain", "Plain"),
    ('quote"d', 'A "quoted" <b>label</b> & more'),
    (7, "A number"),
    ("Group", [("in-1", "In a group"), ("in-2", "也在组里")]),
]


class _StarOption(forms.Select):
    option_template_name = "widgets/star_option.html"


class _Everything(forms.Form):
    single = forms.ChoiceField(choices=CHOICES)
    chosen = forms.ChoiceField(choices=CHOICES, initial="in-2")
    many = forms.MultipleChoiceField(choices=CHOICES, initial=["plain", 7])
    attributed = forms.ChoiceField(
        choices=CHOICES, widget=forms.Select(attrs={"aria-describedby": "hint", "required": True})
    )
    yes_no = forms.NullBooleanField()
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, initial="plain")


def _rendered(form: forms.Form, renderer) -> str:
    form.renderer = renderer
    return "".join(str(field) for field in form)


def test_every_select_is_written_as_django_writes_it():
    ours = _rendered(_Everything(), TemplatesSetting())
    django_s = _rendered(_Everything(), DjangoTemplates())

    assert ours == django_s
    assert "<select" in ours and "<optgroup" in ours
    assert "&lt;b&gt;label&lt;/b&gt; &amp; more" in ours and "<b>" not in ours
    # The empty choice of single and attributed, in-2, plain and 7, "unknown", plain.
    assert ours.count(" selected>") == 7


def test_a_bound_form_with_errors_is_written_as_django_writes_it():
    data = {"single": "nowhere", "many": ["plain", "in-1"], "yes_no": "true"}
    ours = _rendered(_Everything(data), TemplatesSetting())

    assert ours == _rendered(_Everything(data), DjangoTemplates())
    assert '<option value="in-1" selected>' in ours


def test_an_option_of_another_template_is_left_to_it(tmp_path, settings):
    (tmp_path / "widgets").mkdir()
    (tmp_path / "widgets" / "star_option.html").write_text(
        '<option value="{{ widget.value }}">★ {{ widget.label }}</option>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]

    html = _StarOption(choices=[("a", "Alpha")]).render("star", "a", renderer=TemplatesSetting())

    assert '<option value="a">★ Alpha</option>' in html


@pytest.mark.django_db
def test_the_workbench_filters_are_written_as_django_writes_them(rf, area, street_staff):
    factories.case(area)
    request = rf.get("/cases/", {"status": "new", "party": ""})
    request.user = street_staff
    form = CaseFilter(
        request.GET, queryset=Case.objects.visible_to(street_staff), request=request
    ).form

    ours = _rendered(form, TemplatesSetting())

    assert ours == _rendered(form, DjangoTemplates())
    assert '<option value="new" selected>' in ours


def test_the_projects_forms_use_the_projects_select(settings):
    template = get_default_renderer().get_template("django/forms/widgets/select.html")

    assert template.origin.name == str(
        settings.BASE_DIR / "templates/django/forms/widgets/select.html"
    )
